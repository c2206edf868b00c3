/** The success envelope every v1.0 answer starts with (seed 000 "Response Body"). */
export const SUCCESS_HEADER = { isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' } as const

export function success<P extends object>(payload: P): { header: typeof SUCCESS_HEADER } & P {
  return { header: SUCCESS_HEADER, ...payload }
}

export function headerOnly(): { header: typeof SUCCESS_HEADER } {
  return { header: SUCCESS_HEADER }
}
