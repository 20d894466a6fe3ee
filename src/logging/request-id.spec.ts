import { requestIdOf } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it('keeps a plain incoming X-Request-Id', () => {
    expect(requestIdOf({ 'x-request-id': 'req_42.a-b' })).toBe('req_42.a-b');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['with a space', 'req 42'],
    ['with JSON', '{"a":1}'],
    ['longer than 64 characters', 'a'.repeat(65)],
  ])('makes a UUID when the incoming id is %s', (_case, incoming) => {
    expect(requestIdOf(incoming === undefined ? {} : { 'x-request-id': incoming })).toMatch(UUID);
  });
});
