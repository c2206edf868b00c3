/**
 * A project is the unit of tenancy: one OpenStack tenant id, one NHN appkey, any number of users and SCP
 * access keys. Every tenant resource carries its project id.
 */
export interface Project {
  /** 32 lowercase hex characters, the OpenStack tenant id (Keystone project id). */
  readonly id: string
  readonly name: string
  readonly description: string
  readonly domainId: string
  /** NHN Cloud appkey: 20 alphanumeric characters, the tenant segment of NHN v1.0 URLs. */
  readonly appkey: string
  readonly enabled: boolean
  /** Enforce NHN's stricter server-create rules (networks, key name, block device mapping required). */
  readonly strictNhn: boolean
  /** Confirm a resize automatically after this many seconds (Nova resize_confirm_window); null = never. */
  readonly autoConfirmResizeSeconds: number | null
  readonly createdAt: Date
}

/** What a token or an access key tells a dialect about the project it is scoped to. */
export interface ProjectRef {
  readonly id: string
  readonly name: string
  readonly domainId: string
  readonly appkey: string
  /** The project's strict-NHN switch, so that a create needs no read of the project row. */
  readonly strictNhn: boolean
}

export interface ProjectPatch {
  readonly description?: string
  readonly enabled?: boolean
  readonly strictNhn?: boolean
  readonly autoConfirmResizeSeconds?: number | null
}

export const DEFAULT_DOMAIN_ID = 'default'

export function projectRef(project: Project): ProjectRef {
  return { id: project.id, name: project.name, domainId: project.domainId, appkey: project.appkey, strictNhn: project.strictNhn }
}
