/**
 * The JSON schemas Glance publishes at /v2/schemas/*: glanceclient (and openstackclient through it)
 * validates image bodies and decides which attributes are base ones from these documents, so they list
 * the same base attributes, read-only flags, enums, links and the string-only additional properties.
 */
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_VISIBILITIES } from '../../../core/images/image.ts'
import { IMAGE_STATUSES } from '../schemas/images.ts'

const UUID_PATTERN = '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'

const readOnlyString = (description: string, maxLength?: number) => ({
  type: ['null', 'string'], readOnly: true, description, ...(maxLength === undefined ? {} : { maxLength }),
})

export const imageSchema = {
  name: 'image',
  properties: {
    id: { type: 'string', description: 'An identifier for the image', pattern: UUID_PATTERN },
    name: { type: ['null', 'string'], description: 'Descriptive name for the image', maxLength: 255 },
    status: { type: 'string', readOnly: true, description: 'Status of the image', enum: [...IMAGE_STATUSES] },
    visibility: { type: 'string', description: 'Scope of image accessibility', enum: [...IMAGE_VISIBILITIES] },
    protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
    os_hidden: { type: 'boolean', description: 'If true, image will not appear in default image list response.' },
    checksum: readOnlyString('md5 hash of image contents.', 32),
    os_hash_algo: readOnlyString('Algorithm to calculate the os_hash_value', 64),
    os_hash_value: readOnlyString('Hexdigest of the image contents using the algorithm specified by the os_hash_algo', 128),
    owner: { type: ['null', 'string'], description: 'Owner of the image', maxLength: 255 },
    size: { type: ['null', 'integer'], readOnly: true, description: 'Size of image file in bytes' },
    virtual_size: { type: ['null', 'integer'], readOnly: true, description: 'Virtual size of image in bytes' },
    container_format: { type: ['null', 'string'], description: 'Format of the container', enum: [null, ...CONTAINER_FORMATS] },
    disk_format: { type: ['null', 'string'], description: 'Format of the disk', enum: [null, ...DISK_FORMATS] },
    created_at: { type: 'string', readOnly: true, description: 'Date and time of image registration' },
    updated_at: { type: 'string', readOnly: true, description: 'Date and time of the last image modification' },
    tags: { type: 'array', description: 'List of strings related to the image', items: { type: 'string', maxLength: 255 } },
    direct_url: { type: 'string', readOnly: true, description: 'URL to access the image file kept in external store' },
    min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
    min_disk: { type: 'integer', description: 'Amount of disk space (in GB) required to boot image.' },
    self: { type: 'string', readOnly: true, description: 'An image self url' },
    file: { type: 'string', readOnly: true, description: 'An image file url' },
    schema: { type: 'string', readOnly: true, description: 'An image schema url' },
    locations: {
      type: 'array',
      description: 'A set of URLs to access the image file kept in external store',
      items: {
        type: 'object',
        properties: { url: { type: 'string', maxLength: 255 }, metadata: { type: 'object' } },
        required: ['url', 'metadata'],
      },
    },
    kernel_id: { type: ['null', 'string'], pattern: UUID_PATTERN, description: 'ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.', is_base: false },
    ramdisk_id: { type: ['null', 'string'], pattern: UUID_PATTERN, description: 'ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.', is_base: false },
    instance_uuid: { type: 'string', description: 'Metadata which can be used to record which instance this image is associated with. (Informational only, does not create an instance snapshot.)', is_base: false },
    architecture: { type: 'string', description: 'Operating system architecture as specified in https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html', is_base: false },
    os_distro: { type: 'string', description: 'Common name of operating system distribution as specified in https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html', is_base: false },
    os_version: { type: 'string', description: 'Operating system version as specified by the distributor.', is_base: false },
    description: { type: 'string', description: 'A human-readable string describing this image.', is_base: false },
  },
  additionalProperties: { type: 'string' },
  links: [
    { rel: 'self', href: '{self}' },
    { rel: 'enclosure', href: '{file}' },
    { rel: 'describedby', href: '{schema}' },
  ],
}

export const imagesSchema = {
  name: 'images',
  properties: {
    images: { type: 'array', items: imageSchema },
    schema: { type: 'string' },
    first: { type: 'string' },
    next: { type: 'string' },
  },
  links: [
    { rel: 'first', href: '{first}' },
    { rel: 'next', href: '{next}' },
    { rel: 'describedby', href: '{schema}' },
  ],
}

export const memberSchema = {
  name: 'member',
  properties: {
    created_at: { type: 'string', description: 'Date and time of image member creation' },
    image_id: { type: 'string', description: 'An identifier for the image', pattern: UUID_PATTERN },
    member_id: { type: 'string', description: 'An identifier for the image member (tenantId)' },
    status: { type: 'string', description: 'The status of this image member', enum: ['pending', 'accepted', 'rejected'] },
    updated_at: { type: 'string', description: 'Date and time of last modification of image member' },
    schema: { type: 'string', readOnly: true },
  },
}

export const membersSchema = {
  name: 'members',
  properties: {
    members: { type: 'array', items: memberSchema },
    schema: { type: 'string' },
  },
  links: [{ rel: 'self', href: '{self}' }, { rel: 'describedby', href: '{schema}' }],
}
