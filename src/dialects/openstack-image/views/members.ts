/** Image members as Glance v2 shows them. */
import type { ImageMember } from '../../../core/images/image.ts'
import type { MemberView } from '../schemas/members.ts'
import { glanceTime } from './images.ts'

export function memberView(member: ImageMember): MemberView {
  return {
    image_id: member.imageId,
    member_id: member.memberProjectId,
    status: member.status,
    created_at: glanceTime(member.createdAt),
    updated_at: glanceTime(member.updatedAt),
    schema: '/v2/schemas/member',
  }
}
