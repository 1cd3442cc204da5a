// The baseline: a bare node:http server answering the same bytes from memory, with the
// same content type. Whatever Masthead spends beyond this is its own cost.
import http from 'node:http';
import fs from 'node:fs';

const body = fs.readFileSync(process.argv[2]);
const port = Number(process.argv[3]);
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    res.end(body);
  })
  .listen(port, '127.0.0.1');
