import { describe, expect, it } from 'vitest'
import { nhnDemoFlavors, scpDemoServerTypes } from './demo-flavors.ts'
import { isLocalDiskFlavor, isScpServerType } from './flavor.ts'
import { parseIsPublicFilter } from './flavor-service.ts'

describe('isLocalDiskFlavor', () => {
  it('recognises U2 by its flavor_type or by its name', () => {
    expect(isLocalDiskFlavor({ name: 'anything', extraSpecs: { flavor_type: 'U2' } })).toBe(true)
    expect(isLocalDiskFlavor({ name: 'u2.c4m8', extraSpecs: {} })).toBe(true)
    expect(isLocalDiskFlavor({ name: 'm2.c4m8', extraSpecs: { flavor_type: 'general' } })).toBe(false)
    expect(isLocalDiskFlavor({ name: 'su2.c1m1', extraSpecs: {} })).toBe(false)
  })

  it('marks exactly the demo U2 flavors, the only ones with a local root disk', () => {
    for (const seed of [...nhnDemoFlavors, ...scpDemoServerTypes]) {
      const flavor = { name: seed.name, extraSpecs: seed.extraSpecs ?? {} }
      expect(isLocalDiskFlavor(flavor)).toBe(seed.diskGb > 0)
    }
  })

  it('keeps the two vendor catalogs apart', () => {
    expect(nhnDemoFlavors.some((seed) => isScpServerType({ extraSpecs: seed.extraSpecs ?? {} }))).toBe(false)
    expect(scpDemoServerTypes.every((seed) => isScpServerType({ extraSpecs: seed.extraSpecs ?? {} }))).toBe(true)
    expect(scpDemoServerTypes.every((seed) => seed.id === seed.name)).toBe(true)
  })
})

describe('parseIsPublicFilter', () => {
  it('follows Nova: absent is public only, none is all, strict booleans otherwise', () => {
    expect(parseIsPublicFilter(undefined)).toBe(true)
    expect(parseIsPublicFilter('None')).toBe(null)
    expect(parseIsPublicFilter('false')).toBe(false)
    expect(parseIsPublicFilter('1')).toBe(true)
    expect(() => parseIsPublicFilter('maybe')).toThrow(/is_public/)
  })
})
