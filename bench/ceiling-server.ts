/**
 * The throughput ceiling: a bare Fastify hello-world, run as its own process on the same core and
 * loaded with the same client settings as Gureum. `node bench/ceiling-server.ts PORT`.
 */
import Fastify from 'fastify'

const port = Number(process.argv[2])
const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
app.get('/healthz', async () => ({ status: 'ok' }))
await app.listen({ host: '127.0.0.1', port })
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
