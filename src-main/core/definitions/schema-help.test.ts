import { describe, expect, it } from 'vitest';
import { SchemaHelp, type JsonSchema } from './schema-help';
import { ITEM } from './yaml-cursor';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    loop: { $ref: '#/definitions/loop' },
    things: { type: 'object', patternProperties: { '^[a-z]+$': { $ref: '#/definitions/thing' } } },
    list: { type: 'array', items: { $ref: '#/definitions/thing' } },
    flag: { type: ['boolean', 'string'], description: 'On or off.' },
    old: { type: 'string', deprecated: true },
  },
  definitions: {
    loop: { $ref: '#/definitions/loop' },
    thing: {
      description: 'A thing.',
      allOf: [
        { properties: { size: { type: 'integer', description: 'How big.' } } },
        { properties: { mode: { enum: ['fast', 'slow', null] } } },
      ],
    },
  },
};
const help = new SchemaHelp(schema);

describe('SchemaHelp', () => {
  it('follows patternProperties and items through $ref and allOf', () => {
    expect(help.keys(['things', 'anything']).map((k) => k.key)).toEqual(['size', 'mode']);
    expect(help.keys(['list', ITEM]).map((k) => k.key)).toEqual(['size', 'mode']);
    expect(help.keys(['things', 'NotMatching'])).toEqual([]);
  });

  it('describes a key: description from the property or what it refers to, type, shape, values', () => {
    expect(help.key(['things', 'a', 'size'])).toMatchObject({
      description: 'How big.',
      type: 'number',
      shape: 'scalar',
    });
    expect(help.key(['things', 'a', 'mode'])?.values).toEqual(['fast', 'slow']);
    expect(help.key(['flag'])).toMatchObject({ type: 'boolean | string', values: ['true', 'false'] });
    expect(help.key(['things', 'a'])).toMatchObject({ description: 'A thing.', type: 'map', shape: 'map' });
    expect(help.key(['list'])?.shape).toBe('list');
    expect(help.key(['old'])?.deprecated).toBe(true);
  });

  it('a $ref to itself ends instead of looping, and says nothing', () => {
    expect(help.keys(['loop'])).toEqual([]);
    expect(help.key(['loop'])).toBeNull();
  });
});
