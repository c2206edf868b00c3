/**
 * The Neutron extensions whose behaviour this dialect really provides (names, descriptions and dates
 * as Neutron publishes them), so that clients probing `GET /v2.0/extensions/{alias}` see the truth.
 */
import type { Extension } from '../schemas/extensions.ts'

function extension(alias: string, name: string, description: string, updated: string): Extension {
  return { alias, name, description, updated, links: [] }
}

export const EXTENSIONS: readonly Extension[] = [
  extension('security-group', 'security-group', 'The security groups extension.', '2012-10-05T10:00:00-00:00'),
  extension('external-net', 'Neutron external network', 'Adds external network attribute to network resource.',
    '2013-01-14T10:00:00-00:00'),
  extension('quotas', 'Quota management support', 'Expose functions for quotas management per project',
    '2012-07-29T10:00:00-00:00'),
  extension('quota_details', 'Quota details management support', 'Expose functions for quotas usage statistics per project',
    '2017-02-10T10:00:00-00:00'),
  extension('net-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.', '2015-03-25T10:00:00-00:00'),
  extension('port-security', 'Port Security', 'Provides port security', '2012-07-23T10:00:00-00:00'),
  extension('network_availability_zone', 'Network Availability Zone', 'Availability zone support for network.',
    '2015-01-01T10:00:00-00:00'),
  extension('project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.',
    '2016-09-09T09:09:09-09:09'),
  extension('pagination', 'Pagination support', 'Extension that indicates that pagination is enabled.',
    '2016-06-12T00:00:00-00:00'),
  extension('standard-attr-timestamp', 'Resource timestamps',
    'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.',
    '2016-09-12T10:00:00-00:00'),
  extension('standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes',
    '2016-02-10T10:00:00-00:00'),
  extension('filter-validation', 'Filter parameters validation', 'Provides validation on filter parameters.',
    '2018-07-04T10:00:00-00:00'),
  extension('empty-string-filtering', 'Empty String Filtering Extension', 'Allow filtering by attributes with empty string value',
    '2018-05-01T10:00:00-00:00'),
]
