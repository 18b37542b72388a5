// @kafkajs/confluent-schema-registry 4.1.0 (Avro through avsc) and kafkajs 2.2.4 against a DevBroker and its schema
// registry: a second, independent implementation of the registry API and of Confluent's wire format.
// Usage: node schema-registry.js <registry-url> <host:port> <InventoryEvent.avsc>. Exits 0 when every check passed;
// otherwise prints the failure and exits 1.
'use strict'

const assert = require('node:assert/strict')
const { SchemaRegistry, SchemaType, readAVSCAsync } = require('@kafkajs/confluent-schema-registry')
const { Kafka, logLevel } = require('kafkajs')

const [registryUrl, broker, avscPath] = process.argv.slice(2)
if (!registryUrl || !broker || !avscPath) {
  console.error('usage: node schema-registry.js <registry-url> <host:port> <InventoryEvent.avsc>')
  process.exit(2)
}

const subject = 'inventory.events-value'
const topic = 'inventory.events'
const deadlineMs = 60_000

const event = {
  eventId: 'e-1',
  type: 'Sale',
  productId: 'p-1',
  quantity: 3,
  occurredAt: 1733500000000,
  locationId: 'store-1',
  reservationId: null,
  expiresAt: null,
  source: 'pos',
  correlationId: null
}

// avsc decodes into instances of a class per record type; the checks compare the fields.
const plain = record => ({ ...record })

async function main () {
  const registry = new SchemaRegistry({ host: registryUrl })
  const v1 = await readAVSCAsync(avscPath)

  // Register: the client asks GET /config/{subject} (40408 the first time), POSTs the schema, then PUTs the level.
  const { id: v1Id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject })
  assert.ok(v1Id > 0, `registered id ${v1Id}`)
  const { id: again } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject })
  assert.equal(again, v1Id, 'the same schema registered again keeps its id')
  assert.equal(await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(v1) }), v1Id, 'lookup')
  console.log(`registered ${subject} as id ${v1Id}`)

  // Encode: Confluent framing, magic byte 0 and the id big-endian, then Avro binary.
  const encoded = await registry.encode(v1Id, event)
  assert.equal(encoded[0], 0, 'magic byte')
  assert.equal(encoded.readInt32BE(1), v1Id, 'schema id in the frame')
  assert.deepEqual(plain(await registry.decode(encoded)), event, 'decoded by the encoding client')

  // A fresh client has no cache: decoding fetches the writer's schema by id from the registry.
  const fresh = new SchemaRegistry({ host: registryUrl })
  assert.deepEqual(plain(await fresh.decode(encoded)), event, 'decoded with the schema fetched by id')

  // Evolution: v2 adds an optional field; the registry's BACKWARD level accepts it with a new id.
  const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] }
  const { id: v2Id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject })
  assert.ok(v2Id > v1Id, `v2 id ${v2Id} after v1's ${v1Id}`)
  assert.equal(await registry.getLatestSchemaId(subject), v2Id, 'latest version')
  const v2Encoded = await registry.encode(v2Id, { ...event, note: 'hello' })
  assert.equal((await fresh.decode(v2Encoded)).note, 'hello', 'v2 record decoded')
  const asV2 = await fresh.decode(encoded, { [SchemaType.AVRO]: { readerSchema: v2 } })
  assert.equal(asV2.note, null, 'a v1 record read with v2 takes the default')

  // A required field without a default is refused with 409.
  const v3 = { ...v2, fields: [...v2.fields, { name: 'warehouse', type: 'string' }] }
  await assert.rejects(
    registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v3) }, { subject }),
    error => error.status === 409,
    'an incompatible schema is refused with 409')

  // Through the broker: produce the framed record with kafkajs, read it back, decode it.
  const kafka = new Kafka({ clientId: 'kafkajs-schema-registry', brokers: [broker], logLevel: logLevel.ERROR })
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic, messages: [{ key: event.productId, value: encoded }, { key: event.productId, value: v2Encoded }] })
  await producer.disconnect()

  const consumer = kafka.consumer({ groupId: 'kafkajs-schema-registry', maxWaitTimeInMs: 100 })
  const received = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the two records')), deadlineMs)
    consumer.run({
      eachMessage: async ({ message }) => {
        received.push(plain(await fresh.decode(message.value)))
        if (received.length === 2) {
          clearTimeout(timer)
          resolve()
        }
      }
    })
  })
  await done
  await consumer.disconnect()
  assert.deepEqual(received[0], event, 'first record through the broker')
  assert.equal(received[1].note, 'hello', 'second record through the broker')

  console.log('all checks passed')
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
