// scripts/check-syntax.js — tree-sitter syntax check for Swift and Kotlin sources (no compiler needed:
// also for SwiftUI / Jetpack Compose code, which cannot be compiled on this Linux machine).
//
// Usage: node scripts/check-syntax.js [--raw] [--no-self-test] [--lang swift|kotlin] FILE...
//   the language comes from the extension (.swift, .kt, .kts) unless --lang is given
//   --raw           don't apply the grammar-gap rewrites below
//   --no-self-test  skip the controls run before the files
// Needs TREE_SITTER_DIR (a folder with node_modules/ holding tree-sitter, tree-sitter-swift and
// @tree-sitter-grammars/tree-sitter-kotlin; written to env.sh by scripts/toolchains.sh).
// Exit status: 0 all files parse cleanly; 1 some file has a syntax error; 2 usage; 3 self-test failed.
//
// Verdict: rootNode.hasError (any ERROR or MISSING node). Visible ERROR/MISSING nodes are listed with
// line:column; MISSING *hidden* tokens (e.g. Kotlin's automatic `_semi`, invisible to node.children)
// are located through the node's s-expression.
//
// Grammar gaps — code the real compilers accept but these grammars reject — are rewritten before
// parsing, keeping every line and column where it was (the rewritten text is blanked with spaces):
//  * tree-sitter-swift 0.7.1 cannot parse an `#if` block that wraps only attributes, which UniFFI emits
//    about 30 times:  #if swift(>=5.8) / @_documentation(visibility: private) / #endif
//    -> the `#if ...` and `#endif` lines are blanked (the attribute stays).
//  * tree-sitter-kotlin 1.1.0 wants a line break between a block comment's closing `*/` and the code
//    after it; unformatted UniFFI output has `*/ fun greet(...)` for every documented top-level
//    function -> such a comment (one that starts a line and ends with code after it) is blanked.
//  * tree-sitter-kotlin 1.1.0 also wants a separator after the last member of a one-line class body
//    (`object Ids { const val A = 1 }`: hidden MISSING `_class_member_semi`, and two such lines in a row
//    end in an ERROR) -> on a line that declares a class/object/interface and closes its body, the
//    blank before the final `}` becomes `;` (`{ const val A = 1;}`, valid Kotlin, same columns).
// Self-test (every run): broken Swift and Kotlin must be rejected, also after the rewrites; samples of
// both gaps must pass after the rewrites; and if a gap sample passes raw, the grammar got fixed and the
// rewrite can go (reported as a note, not an error).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const tsDir = process.env.TREE_SITTER_DIR;
if (!tsDir) {
  console.error('check-syntax: TREE_SITTER_DIR is not set (source $QAMQOR_CACHE/env.sh from scripts/toolchains.sh)');
  process.exit(2);
}
const tsRequire = createRequire(path.join(path.resolve(tsDir), 'package.json'));
const Parser = tsRequire('tree-sitter');
const grammars = {
  swift: tsRequire('tree-sitter-swift'),
  kotlin: tsRequire('@tree-sitter-grammars/tree-sitter-kotlin'),
};
const parsers = {};
for (const [lang, grammar] of Object.entries(grammars)) {
  parsers[lang] = new Parser();
  parsers[lang].setLanguage(grammar);
}

const blank = (s) => s.replace(/[^\n]/g, ' ');
const rewrites = {
  // #if <cond> / one or more attribute-only lines / #endif  -> blank the two directive lines
  swift: (src) => src.replace(/^([ \t]*#if\b[^\n]*)\n((?:[ \t]*@[^\n]*\n)+)([ \t]*#endif\b[^\n]*)$/gm,
    (_, open, attrs, close) => `${blank(open)}\n${attrs}${blank(close)}`),
  kotlin: (src) => src
    // a block comment starting a line whose closing */ has code after it on the same line -> blank it
    .replace(/^[ \t]*\/\*(?:(?!\*\/)[\s\S])*\*\/(?=[ \t]+\S)/gm, blank)
    // a one-line class/object/interface body: `{ member }` -> `{ member;}` (optionally then a // comment)
    .replace(/^([ \t]*(?:[\w@()."]+[ \t]+)*(?:class|object|interface)\b[^{\n]*\{[^\n]*\S)[ \t]\}([ \t]*(?:\/\/[^\n]*)?)$/gm, '$1;}$2'),
};

const pos = (p) => `${p.row + 1}:${p.column + 1}`;

/** Parses src; returns [] if clean, else a list of problem descriptions. */
function problems(lang, src) {
  // node binding: without a big enough bufferSize, long files are read in chunks and can mis-parse
  const tree = parsers[lang].parse(src, undefined, { bufferSize: src.length * 2 + 1024 });
  if (!tree.rootNode.hasError) return [];
  const found = [];
  const snippet = (from) => JSON.stringify(src.slice(from, from + 60));
  const walk = (n) => {
    if (n.type === 'ERROR' || n.isMissing) {
      found.push(`${n.isMissing ? 'MISSING ' + n.type : 'ERROR'} at ${pos(n.startPosition)}: ${snippet(n.startIndex)}`);
    }
    let childErr = false;
    for (const c of n.children) if (c.hasError || c.isMissing) { childErr = true; walk(c); }
    if (n.hasError && !childErr && n.type !== 'ERROR' && !n.isMissing) {
      // a hidden MISSING token directly under n: find the named child it precedes
      const s = n.toString();
      const m = s.indexOf('(MISSING');
      let at = 1, prev = null, next = null;
      for (const c of n.namedChildren) {
        const i = s.indexOf(c.toString(), at);
        if (i > m) { next = c; break; }
        at = i + 1; prev = c;
      }
      const where = next ? next.startPosition : (prev ? prev.endPosition : n.startPosition);
      const whereIndex = next ? next.startIndex : (prev ? prev.endIndex : n.startIndex);
      found.push(`${s.slice(m + 1, s.indexOf(')', m))} (hidden) before ${pos(where)}: ${snippet(whereIndex)}`);
    }
  };
  walk(tree.rootNode);
  return found.length ? found : ['error node (not located)'];
}

const check = (lang, src, raw) => problems(lang, raw ? src : rewrites[lang](src));

// ---------------------------------------------------------------- self-test
const controls = {
  swift: {
    broken: 'struct A: View {\n  var body: some View {\n    Text("x"\n  }\n}\nfunc f( { }\n',
    // the gap sample, with a syntax error hidden inside the #if block: must still be rejected
    brokenInGap: 'struct S {\n#if swift(>=5.8)\n    @_documentation(visibility: private)\n#endif\n    func f( {}\n}\n',
    gap: 'public struct S {\n#if swift(>=5.8)\n    @_documentation(visibility: private)\n#endif\n    public func f() {}\n}\n',
  },
  kotlin: {
    broken: 'fun main() {\n  val x = listOf(1, 2)\n  println(x)\n}\nclass {\n',
    brokenInGap: 'fun a() {}\n\n/**\n * Doc.\n */ fun b( {\n}\n',
    gap: 'fun a() {\n}\n\n/**\n * Says hello.\n */ fun greet(name: String): String {\n    return "Hello, $name"\n}\n' +
      'object Ids { const val A = 1 }\nclass B { fun f() = listOf(1, 2) }\n',
    brokenMember: 'class B { val x = 1 val y = 2 }\n',
  },
};
function selfTest() {
  const errors = [];
  for (const [lang, c] of Object.entries(controls)) {
    for (const raw of [true, false]) {
      if (!check(lang, c.broken, raw).length) errors.push(`${lang}: a broken file was accepted${raw ? ' (raw)' : ''}`);
    }
    if (!check(lang, c.brokenInGap, false).length) errors.push(`${lang}: the rewrites hid a syntax error`);
    if (c.brokenMember && !check(lang, c.brokenMember, false).length) errors.push(`${lang}: a missing member separator was tolerated`);
    const gapAfter = check(lang, c.gap, false);
    if (gapAfter.length) errors.push(`${lang}: the grammar-gap sample fails even after the rewrites: ${gapAfter[0]}`);
    if (!check(lang, c.gap, true).length) {
      console.log(`note: tree-sitter-${lang} now parses its grammar-gap sample raw; its rewrite may be removed`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------- main
const args = process.argv.slice(2);
let raw = false, selfTestOn = true, forced = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--raw') raw = true;
  else if (a === '--no-self-test') selfTestOn = false;
  else if (a === '--self-test') { /* default */ }
  else if (a === '--lang') forced = args[++i];
  else if (a.startsWith('--')) { console.error(`check-syntax: unknown option ${a}`); process.exit(2); }
  else files.push(a);
}
if (forced && !parsers[forced]) { console.error(`check-syntax: --lang must be swift or kotlin`); process.exit(2); }

if (selfTestOn) {
  const errs = selfTest();
  if (errs.length) {
    errs.forEach((e) => console.log(`SELF-TEST FAILED: ${e}`));
    process.exit(3);
  }
  console.log('self-test: broken Swift and Kotlin rejected, grammar-gap samples accepted after the rewrites');
}

let bad = 0, ok = 0;
for (const f of files) {
  const lang = forced || (f.endsWith('.swift') ? 'swift' : /\.kts?$/.test(f) ? 'kotlin' : null);
  if (!lang) { console.log(`FAIL ${f}: unknown language (use --lang)`); bad++; continue; }
  const src = fs.readFileSync(f, 'utf8');
  const found = check(lang, src, raw);
  if (found.length) {
    bad++;
    console.log(`FAIL ${lang} ${f}: ${found.length} problem node(s)`);
    found.slice(0, 8).forEach((p) => console.log(`   ${p}`));
  } else {
    ok++;
    console.log(`OK   ${lang} ${f} (${src.split('\n').length} lines)`);
  }
}
if (files.length) console.log(`syntax: ${ok} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
