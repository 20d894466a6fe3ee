import { demoApiOrigins } from './demo';

describe('demoApiOrigins', () => {
  it.each(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'])(
    'is every loopback name of the port for an API on %s',
    (host) => {
      expect(demoApiOrigins(host, 3000)).toEqual([
        'http://127.0.0.1:3000',
        'http://localhost:3000',
        'http://[::1]:3000',
      ]);
    },
  );

  it('is the host itself for any other address', () => {
    expect(demoApiOrigins('192.168.1.20', 8080)).toEqual(['http://192.168.1.20:8080']);
    expect(demoApiOrigins('fd00::1', 8080)).toEqual(['http://[fd00::1]:8080']);
    expect(demoApiOrigins('API.example', 80)).toEqual(['http://api.example']);
  });
});
