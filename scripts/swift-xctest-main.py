#!/usr/bin/env python3
"""Write the XCTest entry point (main.swift) for the Swift binding tests: test discovery for Linux.

On Linux, swift-corelibs-xctest cannot find tests by itself (no Objective-C runtime); `swift test` has
SwiftPM generate an `XCTMain([...])` list. scripts/test-swift.sh calls swift-frontend directly, so this
script does the same job: it scans the test sources for

    [final] class Name: XCTestCase          (or a subclass of another test class found here)
        func testSomething() [async] [throws]   — instance methods named test*, no parameters,
                                                  not private/fileprivate/static, also in extensions

and prints a main.swift that registers them all (async ones through XCTest's asyncTest) and calls
XCTMain, which runs them and exits 1 on any failure.

Usage: swift-xctest-main.py FILE.swift... > main.swift      (exit 2 if no test was found)
The scan is lexical (comments and string literals are skipped, braces are counted): keep test classes
at the top level of a file.
"""
import re
import sys

DECL = re.compile(
    r"(?P<kind>class|struct|enum|actor|extension|protocol)\s+(?P<name>[A-Za-z_][\w.]*)"
    r"(?:\s*<[^>{]*>)?\s*(?::\s*(?P<inherits>[^{]*))?$"
)
FUNC = re.compile(
    r"(?P<mods>(?:@\w+(?:\([^)]*\))?\s+|\b(?:public|internal|open|private|fileprivate|final|override|"
    r"static|class|nonisolated|mutating)\s+)*)func\s+(?P<name>test\w*)\s*\(\s*\)\s*"
    r"(?P<effects>(?:async\s*)?(?:throws\b|rethrows\b)?)"
)


def strip_code(src: str) -> str:
    """Blank out comments and string literals (keeping newlines), so braces and keywords are code."""
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):  # Swift block comments nest
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    out.append("\n" if src[i] == "\n" else "")
                    i += 1
        elif src[i] == '"':
            quote = '"""' if src.startswith('"""', i) else '"'
            i += len(quote)
            while i < n and not src.startswith(quote, i):
                if src[i] == "\\":
                    i += 1
                elif src[i] == "\n":
                    out.append("\n")
                i += 1
            i += len(quote)
            out.append('""')
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def scan(path: str):
    """-> list of (type name, inherited names, [(method, is_async)]) for top-level types/extensions."""
    code = strip_code(open(path, encoding="utf-8").read())
    found, depth, header, current = [], 0, "", None
    for ch in code:
        if ch == "{":
            if depth == 0:
                m = DECL.search(" ".join(header.split()))
                current = None
                if m:
                    inherits = [s.strip().split("<")[0] for s in (m["inherits"] or "").split(",") if s.strip()]
                    current = (m["name"], m["kind"], inherits, [])
                    found.append(current)
            elif depth == 1 and current is not None:
                f = FUNC.search(" ".join(header.split()))
                if f and not re.search(r"\b(private|fileprivate|static|class)\s", f["mods"]):
                    current[3].append((f["name"], "async" in f["effects"]))
            depth += 1
            header = ""
        elif ch == "}":
            depth = max(depth - 1, 0)
            header = ""
        elif ch in ";\n" and depth > 1:
            header = ""
        else:
            header += ch
            if ch == "\n" or len(header) > 4000:
                header = header[-4000:]
    return found


def main(files):
    decls = [d for f in files for d in scan(f)]
    # test classes: inherit XCTestCase, directly or through another class declared in these files
    test_classes = {name for name, kind, inh, _ in decls if kind == "class" and "XCTestCase" in inh}
    changed = True
    while changed:
        changed = False
        for name, kind, inh, _ in decls:
            if kind == "class" and name not in test_classes and any(i in test_classes for i in inh):
                test_classes.add(name)
                changed = True
    methods = {}
    for name, kind, _, ms in decls:
        if name in test_classes and kind in ("class", "extension"):
            for m in ms:
                if m not in methods.setdefault(name, []):
                    methods[name].append(m)
    suites = sorted((c, ms) for c, ms in methods.items() if ms)
    if not suites:
        sys.stderr.write("swift-xctest-main: no XCTestCase subclass with test*() methods in: %s\n" % " ".join(files))
        return 2
    print("// Generated by scripts/swift-xctest-main.py for scripts/test-swift.sh — do not edit.")
    print("import XCTest\n")
    for cls, ms in suites:
        print(f"extension {cls} {{")
        print(f"    static var __qamqorAllTests: [(String, ({cls}) -> () throws -> Void)] {{")
        print("        [")
        for m, is_async in ms:
            ref = f"asyncTest({m})" if is_async else m
            print(f'            ("{m}", {ref}),')
        print("        ]")
        print("    }")
        print("}\n")
    print("XCTMain([")
    for cls, _ in suites:
        print(f"    testCase({cls}.__qamqorAllTests),")
    print("])")
    count = sum(len(ms) for _, ms in suites)
    sys.stderr.write(f"swift-xctest-main: {count} test(s) in {len(suites)} class(es): "
                     + " ".join(c for c, _ in suites) + "\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) >= 2 else 2)
    sys.exit(main(sys.argv[1:]))
