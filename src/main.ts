/**
 * Entry point of the `gureum` command (see cli.ts). Node strips the types of every source file and
 * compiles it at each start; with the compile cache it keeps both (in $NODE_COMPILE_CACHE, otherwise in
 * node-compile-cache under the OS temp directory) and reuses them while a file is unchanged, which
 * roughly halves the time to load Gureum. The cache covers only modules loaded after it is enabled,
 * hence the dynamic import. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
import { enableCompileCache } from 'node:module'

enableCompileCache()
await import('./cli.ts')
