/** Base images: pinned, by digest where it matters, and from the registries the policy allows. */
import { imageMatches } from '../image-ref';
import { defineRule } from '../types';
import { baseImage, fromImageRange } from './dockerfile-common';

export const baseLatest = defineRule({
  id: 'GV1001',
  name: 'base-image-latest',
  title: 'Base image uses the latest tag',
  description:
    '`latest` is whatever was pushed last: two builds of the same Dockerfile can start from different ' +
    'images, and a cached base hides the difference until it bites. Name a version tag (and, for ' +
    'reproducible builds, a digest).',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'FROM {image} uses the latest tag; pin a version',
  fixable: false,
  check(input, report) {
    for (const stage of input.parsed.dockerfile.stages) {
      const image = baseImage(input, stage);
      if (image?.tag === 'latest' && image.digest === undefined) {
        report({ range: fromImageRange(input, stage), params: { image: image.written } });
      }
    }
  },
});

export const baseUntagged = defineRule({
  id: 'GV1002',
  name: 'base-image-untagged',
  title: 'Base image has no tag',
  description:
    'A base image without a tag or digest means `latest`, with the same drift, and does not even say so. ' +
    'Name the version the Dockerfile was written against.',
  kind: 'dockerfile',
  severity: 'warning',
  message: 'FROM {image} has no tag, which means latest; pin a version',
  fixable: false,
  check(input, report) {
    for (const stage of input.parsed.dockerfile.stages) {
      const image = baseImage(input, stage);
      if (image && image.tag === undefined && image.digest === undefined) {
        report({ range: fromImageRange(input, stage), params: { image: image.written } });
      }
    }
  },
});

export const baseDigest = defineRule({
  id: 'GV1003',
  name: 'base-image-digest',
  title: 'Base image is not pinned by digest',
  description:
    'Tags move: `node:20` is rebuilt for every patch release and security fix. A digest (`@sha256:…`) names ' +
    'exactly one image, which makes builds reproducible and the base auditable; a tool that bumps digests ' +
    'keeps it current. Reported as info by default; a policy with `baseImages.requireDigest` makes it an error ' +
    'through GV1005.',
  kind: 'dockerfile',
  severity: 'info',
  message: 'FROM {image} is not pinned by digest',
  fixable: false,
  check(input, report) {
    if (input.policy.baseImages.requireDigest) return; // GV1005 says it, as an error
    for (const stage of input.parsed.dockerfile.stages) {
      const image = baseImage(input, stage);
      if (image && image.tag !== undefined && image.tag !== 'latest' && image.digest === undefined) {
        report({ range: fromImageRange(input, stage), params: { image: image.written } });
      }
    }
  },
});

export const baseNotAllowed = defineRule({
  id: 'GV1004',
  name: 'base-image-not-allowed',
  title: 'Base image is not allowed by the policy',
  description:
    "The repository's policy (`baseImages.allowed`) lists the images a Dockerfile may start from, as " +
    'patterns over normalised names (`node` is `docker.io/library/node`; `*` stays within a path segment, ' +
    '`**` crosses them). A base outside the list is reported. Stages built in the same Dockerfile and ' +
    '`scratch` are always allowed.',
  kind: 'dockerfile',
  severity: 'error',
  message: 'FROM {image} is not an allowed base image ({name} matches none of: {allowed})',
  fixable: false,
  policy: true,
  check(input, report) {
    const allowed = input.policy.baseImages.allowed;
    if (allowed.length === 0) return;
    for (const stage of input.parsed.dockerfile.stages) {
      const image = baseImage(input, stage);
      if (image && !allowed.some((p) => imageMatches(image, p))) {
        report({
          range: fromImageRange(input, stage),
          params: { image: image.written, name: image.name, allowed: allowed.join(', ') },
        });
      }
    }
  },
});

export const digestRequired = defineRule({
  id: 'GV1005',
  name: 'base-image-digest-required',
  title: 'The policy requires base images pinned by digest',
  description:
    'With `baseImages.requireDigest: true` every FROM that names an image must carry a digest ' +
    '(`node:20@sha256:…`), so that what is built is exactly what was reviewed.',
  kind: 'dockerfile',
  severity: 'error',
  message: 'FROM {image} has no digest; the policy requires base images pinned by digest',
  fixable: false,
  policy: true,
  check(input, report) {
    if (!input.policy.baseImages.requireDigest) return;
    for (const stage of input.parsed.dockerfile.stages) {
      const image = baseImage(input, stage);
      if (image && image.digest === undefined) {
        report({ range: fromImageRange(input, stage), params: { image: image.written } });
      }
    }
  },
});
