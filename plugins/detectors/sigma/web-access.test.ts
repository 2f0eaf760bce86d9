import { describe, expect, it } from 'vitest';
import { parseProxyAccess, parseWebAccess } from './web-access.js';

describe('parseWebAccess', () => {
  it('reads a combined log line', () => {
    const line = '203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] "GET /cgi-bin/x.php?cmd=id&a=../../etc/passwd HTTP/1.1" 200 2326 "http://ref.example/" "sqlmap/1.4 (http://sqlmap.org)"';
    expect(parseWebAccess(line)).toEqual({
      'c-ip': '203.0.113.9',
      'cs-username': 'frank',
      date: '10/Oct/2000',
      time: '13:55:36',
      'cs-method': 'GET',
      'cs-uri': '/cgi-bin/x.php?cmd=id&a=../../etc/passwd',
      'cs-uri-query': '/cgi-bin/x.php?cmd=id&a=../../etc/passwd',
      'cs-uri-stem': '/cgi-bin/x.php',
      'cs-version': 'HTTP/1.1',
      'sc-status': 200,
      'sc-bytes': 2326,
      'cs-referer': 'http://ref.example/',
      'cs-referrer': 'http://ref.example/',
      'c-useragent': 'sqlmap/1.4 (http://sqlmap.org)',
      'cs-user-agent': 'sqlmap/1.4 (http://sqlmap.org)',
    });
  });

  it('reads a common log line, a vhost prefix and a "-" request', () => {
    expect(parseWebAccess('10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "POST /login HTTP/1.0" 401 -')).toMatchObject({
      'c-ip': '10.0.0.1', 'cs-username': '', 'cs-method': 'POST', 'cs-uri-stem': '/login', 'sc-status': 401, 'sc-bytes': 0,
    });
    expect(parseWebAccess('www.example.com:443 10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"')).toMatchObject({
      'cs-host': 'www.example.com', 's-port': 443, 'c-ip': '10.0.0.1', 'c-useragent': 'curl/8', 'cs-referer': '',
    });
    expect(parseWebAccess('10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "-" 408 0')).toMatchObject({ 'cs-uri': '-', 'sc-status': 408 });
  });

  it('keeps escaped quotes inside a quoted field', () => {
    expect(parseWebAccess('1.2.3.4 - - [t:1 +0] "GET /a HTTP/1.1" 200 1 "-" "evil \\"agent\\""')?.['c-useragent']).toBe('evil \\"agent\\"');
  });

  it('returns null for other lines', () => {
    expect(parseWebAccess('Nov 30 10:00:00 host sshd[1]: Accepted password')).toBeNull();
    expect(parseWebAccess('1.2.3.4 - - [t] "GET / HTTP/1.1" abc 1')).toBeNull();
    expect(parseWebAccess('')).toBeNull();
  });
});

describe('parseProxyAccess', () => {
  it('reads a Squid native line', () => {
    expect(parseProxyAccess('1286536309.450    183 192.168.0.68 TCP_MISS/200 1464 GET http://www.evil.example:8080/dl/payload.ps1?x=1 - DIRECT/198.51.100.7 text/html')).toEqual({
      'c-ip': '192.168.0.68',
      src_ip: '192.168.0.68',
      'sc-status': 200,
      'sc-bytes': 1464,
      'cs-method': 'GET',
      'time-taken': 183,
      'c-uri': 'http://www.evil.example:8080/dl/payload.ps1?x=1',
      'cs-uri': 'http://www.evil.example:8080/dl/payload.ps1?x=1',
      'cs-host': 'www.evil.example',
      'r-dns': 'www.evil.example',
      'c-uri-stem': '/dl/payload.ps1',
      'cs-uri-stem': '/dl/payload.ps1',
      'c-uri-query': 'x=1',
      'c-uri-extension': 'ps1',
      dst_ip: '198.51.100.7',
      'cs-content-type': 'text/html',
    });
  });

  it('reads a CONNECT and a combined-format proxy line', () => {
    expect(parseProxyAccess('1286536309.450 10 10.0.0.2 TCP_TUNNEL/200 39 CONNECT api.ngrok.io:443 bob HIER_DIRECT/1.2.3.4 -')).toMatchObject({
      'r-dns': 'api.ngrok.io', 'cs-username': 'bob', 'c-uri-stem': '',
    });
    expect(parseProxyAccess('10.0.0.3 - - [01/Jan/2024:00:00:00 +0000] "GET http://x.example/a.exe HTTP/1.1" 200 5 "-" "Wget/1.2"')).toMatchObject({
      'r-dns': 'x.example', 'c-uri-extension': 'exe', 'c-useragent': 'Wget/1.2', src_ip: '10.0.0.3',
    });
  });

  it('returns null for other lines', () => {
    expect(parseProxyAccess('hello world')).toBeNull();
  });
});
