/** Whole-installation operations for the admin API; never reachable from a vendor dialect. */
export interface StoreMaintenance {
  /**
   * Returns the installation to its first-start state: removes every server, volume, snapshot, project
   * image, keypair, server group, floating IP, port, task and action, every security group but `default`
   * and every network but the seeded ones (`keepNetworkNames`); zeroes host usage and recounts quota
   * usage from what remains. Projects, users, access keys, flavors, volume types and public images stay.
   */
  resetTenantResources(keepNetworkNames: readonly string[]): Promise<void>
}
