// The npm client against the real ingest: @kafkajs/confluent-schema-registry 4.1.0 (avsc) registers InventoryEvent.avsc
// under inventory.sales-value, encodes Sale/Receipt events, kafkajs 2.2.4 produces them keyed by productId; then it
// reads inventory.outcomes and inventory.net-stock (read_committed, Avro written by the silo) and decodes them with the
// registry client, the writer's schema fetched by id. Prints one `outcome {json}` / `net-stock {json}` line per record
// for the test to judge. Run by KafkajsIngestTests with NODE_PATH at tests/DevBroker.Tests/Kafkajs/node_modules.
// Usage: node kafkajs-ingest.js <registry-url> <host:port> <InventoryEvent.avsc>
'use strict'

const { SchemaRegistry, SchemaType, readAVSCAsync } = require('@kafkajs/confluent-schema-registry')
const { Kafka, logLevel } = require('kafkajs')

const [registryUrl, broker, avscPath] = process.argv.slice(2)
if (!registryUrl || !broker || !avscPath) {
  console.error('usage: node kafkajs-ingest.js <registry-url> <host:port> <InventoryEvent.avsc>')
  process.exit(2)
}

const topic = 'inventory.sales'
const deadlineMs = 90_000
const at = Date.now() - 60_000
const event = (eventId, type, productId, quantity, second) => ({
  eventId, type, productId, quantity, occurredAt: at + second * 1000, locationId: 'store-1', reservationId: null, expiresAt: null, source: 'pos', correlationId: null
})
const events = [
  event('npm-1', 'Receipt', 'npm-p1', 10, 0),
  event('npm-2', 'Receipt', 'npm-p2', 5, 1),
  event('npm-3', 'Sale', 'npm-p1', 3, 2),
  event('npm-4', 'Sale', 'npm-p2', 2, 3),
  event('npm-5', 'Sale', 'npm-p1', 4, 4)
]

async function main () {
  const registry = new SchemaRegistry({ host: registryUrl })
  const schema = await readAVSCAsync(avscPath)
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: `${topic}-value` })
  console.log(`registered ${topic}-value as id ${id}`)

  const kafka = new Kafka({ clientId: 'kafkajs-ingest', brokers: [broker], logLevel: logLevel.ERROR })
  const producer = kafka.producer()
  await producer.connect()
  const messages = []
  for (const e of events) {
    messages.push({ key: e.productId, value: await registry.encode(id, e) })
  }
  await producer.send({ topic, messages })
  await producer.disconnect()

  // A fresh client: the silo's output schemas are fetched by id from the registry.
  const reader = new SchemaRegistry({ host: registryUrl })
  const outcomes = new Map()
  const stock = new Map()
  const finished = () => outcomes.size === events.length && [...new Set(events.map(e => e.productId))].every(p =>
    stock.get(p)?.version === Math.max(...[...outcomes.values()].filter(o => o.productId === p).map(o => o.version)))
  const consumer = kafka.consumer({ groupId: 'kafkajs-ingest', maxWaitTimeInMs: 100, readUncommitted: false })
  await consumer.connect()
  await consumer.subscribe({ topics: ['inventory.outcomes', 'inventory.net-stock'], fromBeginning: true })
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${outcomes.size} outcomes, net stock ${JSON.stringify([...stock.values()])}`)), deadlineMs)
    consumer.run({
      eachMessage: async ({ topic: from, message }) => {
        const record = { ...(await reader.decode(message.value)) }
        if (!record.productId?.startsWith('npm-')) return
        console.log(`${from === 'inventory.outcomes' ? 'outcome' : 'net-stock'} ${JSON.stringify(record)}`)
        if (from === 'inventory.outcomes') {
          outcomes.set(record.eventId, record)
        } else if ((stock.get(record.productId)?.version ?? 0) < record.version) {
          stock.set(record.productId, record)
        }
        if (finished()) {
          clearTimeout(timer)
          resolve()
        }
      }
    }).catch(reject)
  })
  await consumer.disconnect()
  console.log('read every outcome and the final net stock')
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
