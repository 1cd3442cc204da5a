// The baseline: a bare node:http server answering the same bytes from memory, with the
// same content type. Whatever Masthead spends beyond this is its own cost. An optional
// third argument spins that many microseconds per request: the calibration that shows what
// a few microseconds of work cost in throughput on this machine.
import http from 'node:http';
import fs from 'node:fs';

const body = fs.readFileSync(process.argv[2]);
const port = Number(process.argv[3]);
const workMs = Number(process.argv[4] ?? 0) / 1000;
http
  .createServer((req, res) => {
    if (workMs > 0) for (const until = performance.now() + workMs; performance.now() < until; );
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    res.end(body);
  })
  .listen(port, '127.0.0.1');
