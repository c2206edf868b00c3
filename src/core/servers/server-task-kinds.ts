/** Task kinds of the server lifecycle; each has one handler in server-tasks.ts. */
export const ServerTaskKind = {
  build: 'server.build',
  delete: 'server.delete',
  power: 'server.power',
  resize: 'server.resize',
  confirmResize: 'server.confirm_resize',
  revertResize: 'server.revert_resize',
  rebuild: 'server.rebuild',
  snapshot: 'server.snapshot',
  attachVolume: 'server.attach_volume',
  detachVolume: 'server.detach_volume',
} as const
export type ServerTaskKind = (typeof ServerTaskKind)[keyof typeof ServerTaskKind]
