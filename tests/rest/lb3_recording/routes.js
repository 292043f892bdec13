// Express routes in LB3 3.28 (express 4, strong-error-handler): the answers
// tests/rest/test_app_routes.py compares with.  Run from a directory whose
// node_modules holds loopback@3: node routes.js
const path = require('path');
const loopback = require('loopback');
const http = require('http');
const app = loopback();
app.set('legacyExplorer', false);
const ds = app.dataSource('db', {connector: 'memory'});
const Customer = ds.createModel('Customer', {name: 'string'});
app.model(Customer);
app.use('/api', loopback.rest());
app.get('/later', (req, res) => Customer.find((err, rows) => res.json(rows)));
app.get('/timeout', (req, res) => setTimeout(() => res.send('late'), 20));
app.get('/chain', (req, res, next) => next());
app.get('/chain', (req, res) => res.json({second: true}));
app.get('/fall', (req, res, next) => setTimeout(() => next(), 5));
app.get('/err', (req, res, next) => { const e = new Error('boom'); e.statusCode = 422; next(e); });
app.get('/err500', (req, res, next) => next(new Error('plain')));
app.get('/throw', (req, res) => { throw new Error('thrown'); });
app.get('/twice', (req, res) => { res.send('one'); try { res.send('two'); } catch (e) { console.error('second send:', e.message); } });
app.get('/twicejson', (req, res) => { res.json({a: 1}); res.json({a: 2}); });
app.get('/skip', (req, res, next) => next('route'), (req, res) => res.send('skipped?'));
app.get('/skip', (req, res) => res.send('next route'));
app.use(loopback.urlNotFound());
app.use(require('strong-error-handler')());
Customer.create([{name: 'a'}, {name: 'b'}], () => {
  const server = app.listen(0, async () => {
    const port = server.address().port;
    const out = {};
    for (const p of ['/later', '/timeout', '/chain', '/fall', '/err', '/err500', '/throw', '/skip', '/nothing', '/twice', '/twicejson']) {
      await new Promise(r => http.get({port, path: p}, res => { let b=''; res.on('data', d=> b+=d); res.on('end', ()=>{ out[p] = {status: res.statusCode, type: res.headers['content-type'], body: b}; r(); }); }).on('error', e => { out[p] = {error: e.message}; r(); }));
    }
    console.log(JSON.stringify(out, null, 1));
    server.close();
  });
});
