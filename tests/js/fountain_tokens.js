// Prints fountain-js's tokens for a Fountain file as JSON (one array), so
// tests/render_test.py can check quoth's Fountain output with an
// independent parser. Usage: node fountain_tokens.js FILE
'use strict';
const fs = require('fs');
const { Fountain } = require('fountain-js');

const text = fs.readFileSync(process.argv[2], 'utf8');
const out = new Fountain().parse(text, true);
process.stdout.write(JSON.stringify({ title: out.title, tokens: out.tokens.map(t => ({ type: t.type, text: t.text })) }));
