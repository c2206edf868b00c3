import type { HypervisorDriver } from '../core/ports/hypervisor-driver.ts'
import { SimulatedDriver } from './simulated/simulated-driver.ts'
import type { SimulatedDriverOptions } from './simulated/simulated-driver.ts'

/**
 * Every driver Gureum can run, by the name config and `gureum agent --driver` use. An explicit map
 * rather than loading by name, so that a typo is a type error and the bundle holds only what is listed.
 */
export const driverFactories = {
  simulated: (options: SimulatedDriverOptions): SimulatedDriver => new SimulatedDriver(options),
} as const satisfies Record<string, (options: never) => HypervisorDriver>

export type DriverName = keyof typeof driverFactories

export type DriverOptions<N extends DriverName> = Parameters<(typeof driverFactories)[N]>[0]

export function isDriverName(name: string): name is DriverName {
  return Object.hasOwn(driverFactories, name)
}

export function createDriver<N extends DriverName>(name: N, options: DriverOptions<N>): ReturnType<(typeof driverFactories)[N]> {
  // TypeScript cannot correlate a generic key with its entry's parameter type; the signature above does.
  const factory = driverFactories[name] as unknown as (options: DriverOptions<N>) => ReturnType<(typeof driverFactories)[N]>
  return factory(options)
}
