// kafkajs 2.2.4 against a DevBroker: transactions as a second, independent client sees them.
// Usage: node transactions.js <host:port>. Exits 0 when every check passed; otherwise prints the failure and exits 1.
'use strict'

const assert = require('node:assert/strict')
const { Kafka, logLevel } = require('kafkajs')

const broker = process.argv[2]
if (!broker) {
  console.error('usage: node transactions.js <host:port>')
  process.exit(2)
}

const kafka = new Kafka({ clientId: 'kafkajs-transactions', brokers: [broker], logLevel: logLevel.ERROR, retry: { retries: 8 } })
const deadlineMs = 60_000

// Resolves once condition() holds, checking after every consumer event; fails after the deadline.
function until (condition, what, events) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting until ${what}`)), deadlineMs)
    const check = () => {
      if (condition()) {
        clearTimeout(timer)
        resolve()
        return true
      }
      return false
    }
    if (!check()) {
      events.push(check)
    }
  })
}

// A consumer of its own group (read_committed unless told otherwise) that keeps what it reads, and counts fetches.
async function startConsumer (groupId, topic, { readUncommitted = false } = {}) {
  const consumer = kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 100 })
  const state = { consumer, values: [], offsets: [], fetches: 0, waiters: [] }
  const notify = () => { state.waiters = state.waiters.filter(check => !check()) }
  consumer.on(consumer.events.FETCH, () => { state.fetches++; notify() })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      state.values.push(message.value.toString())
      state.offsets.push({ partition, offset: message.offset })
      notify()
    }
  })
  return state
}

// Everything a reader of the isolation level sees in the topic: reads until the sentinel of every partition arrived.
async function readAll (topic, sentinels, readUncommitted) {
  const reader = await startConsumer(`reader-${topic}-${readUncommitted}-${Date.now()}`, topic, { readUncommitted })
  await until(() => sentinels.every(s => reader.values.includes(s)), `${sentinels} were read from ${topic}`, reader.waiters)
  await reader.consumer.disconnect()
  return reader.values.filter(v => !sentinels.includes(v)).sort()
}

async function transactionalProducer (transactionalId) {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  return producer
}

async function main () {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: 'kjs-out', numPartitions: 2 },
      { topic: 'kjs-in', numPartitions: 1 },
      { topic: 'kjs-lso', numPartitions: 1 }
    ]
  })
  const plain = kafka.producer()
  await plain.connect()
  await plain.send({ topic: 'kjs-in', messages: [0, 1, 2, 3, 4, 5].map(i => ({ value: `in-${i}` })) })

  // A committed transaction with offsets, then an aborted one with offsets.
  const producer = await transactionalProducer('kjs-txn')
  let txn = await producer.transaction()
  await txn.send({ topic: 'kjs-out', messages: [{ value: 'committed-1', partition: 0 }, { value: 'committed-2', partition: 1 }] })
  await txn.sendOffsets({ consumerGroupId: 'kjs-group', topics: [{ topic: 'kjs-in', partitions: [{ partition: 0, offset: '3' }] }] })
  await txn.commit()

  txn = await producer.transaction()
  await txn.send({ topic: 'kjs-out', messages: [{ value: 'aborted-1', partition: 0 }] })
  await txn.sendOffsets({ consumerGroupId: 'kjs-group', topics: [{ topic: 'kjs-in', partitions: [{ partition: 0, offset: '5' }] }] })
  await txn.abort()

  const [committedOffsets] = await admin.fetchOffsets({ groupId: 'kjs-group', topics: ['kjs-in'] })
  assert.deepEqual(committedOffsets.partitions, [{ partition: 0, offset: '3', metadata: null }], 'only the committed transaction\'s offsets')
  const group = await startConsumer('kjs-group', 'kjs-in')
  await until(() => group.offsets.length > 0, 'kjs-group read its first input record', group.waiters)
  assert.equal(group.offsets[0].offset, '3', 'the group resumes at the offset its committed transaction stored')
  await group.consumer.disconnect()

  // A second producer with the same transactional id fences the first and aborts its open transaction.
  const zombie = await transactionalProducer('kjs-fence')
  const zombieTxn = await zombie.transaction()
  await zombieTxn.send({ topic: 'kjs-out', messages: [{ value: 'zombie', partition: 1 }] })
  const successor = await transactionalProducer('kjs-fence')
  const winner = await successor.transaction() // kafkajs sends InitProducerId with the first transaction
  await assert.rejects(zombieTxn.commit(), error => {
    assert.match(`${error.type} ${error.message}`, /INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/)
    return true
  })
  await winner.send({ topic: 'kjs-out', messages: [{ value: 'successor', partition: 1 }] })
  await winner.commit()

  txn = await producer.transaction()
  await txn.send({ topic: 'kjs-out', messages: [{ value: 'end-0', partition: 0 }, { value: 'end-1', partition: 1 }] })
  await txn.commit()
  assert.deepEqual(await readAll('kjs-out', ['end-0', 'end-1'], false), ['committed-1', 'committed-2', 'successor'])
  assert.deepEqual(await readAll('kjs-out', ['end-0', 'end-1'], true), ['aborted-1', 'committed-1', 'committed-2', 'successor', 'zombie'])

  // An open transaction holds read_committed readers at its first offset (ListOffsets answers that offset too).
  await plain.send({ topic: 'kjs-lso', messages: [{ value: 'before' }] })
  const open = await producer.transaction()
  await open.send({ topic: 'kjs-lso', messages: [{ value: 'inside' }] })
  await plain.send({ topic: 'kjs-lso', messages: [{ value: 'after' }] })
  const [lso] = await admin.fetchTopicOffsets('kjs-lso')
  assert.equal(lso.offset, '1', 'ListOffsets read_committed: the open transaction\'s first offset')
  const reader = await startConsumer('kjs-lso-reader', 'kjs-lso')
  await until(() => reader.values.length > 0, 'the record before the transaction was read', reader.waiters)
  const fetched = reader.fetches
  await until(() => reader.fetches >= fetched + 5, 'five more fetches came back', reader.waiters)
  assert.deepEqual(reader.values, ['before'], 'nothing past the last stable offset while the transaction is open')
  await open.commit()
  await until(() => reader.values.length === 3, 'the committed transaction and the record after it were read', reader.waiters)
  assert.deepEqual(reader.values, ['before', 'inside', 'after'])
  await reader.consumer.disconnect()

  await Promise.all([producer, zombie, successor, plain, admin].map(c => c.disconnect()))
}

const watchdog = setTimeout(() => {
  console.error(`kafkajs transactions: no result within ${3 * deadlineMs} ms`)
  process.exit(1)
}, 3 * deadlineMs)

main().then(() => {
  clearTimeout(watchdog)
  console.log('kafkajs transactions: all checks passed')
  process.exit(0)
}, error => {
  console.error('kafkajs transactions: FAILED')
  console.error(error)
  process.exit(1)
})
