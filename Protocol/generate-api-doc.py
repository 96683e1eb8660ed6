#!/usr/bin/env python3
# Writes Protocol/CUSTOMER-API.md from the message and service declarations in Protocol/CustomerAPI/*.swift.
# Usage: python3 Protocol/generate-api-doc.py PACKAGE_ROOT
import re, sys, glob, os
root = sys.argv[1]
files = sorted(glob.glob(os.path.join(root, 'Protocol/CustomerAPI/*.swift')))
structs = {}   # name -> (fields [(name,type,number)], doc)
enums = {}     # qualified name -> [(case, value)]
services = []  # (service name const, service string, [(method, kind, input, output, doc)])
def parse_struct(text, start_name, body, outer=None):
    pass
for path in files:
    src = open(path).read()
    # enums with Int raw values (nested or top-level), excluding CodingKeys
    for m in re.finditer(r'public enum (\w+): Int, Codable, Sendable, CaseIterable \{([^}]*)\}', src):
        cases = re.findall(r'(\w+) = (\d+)', m.group(2))
        # Qualify a nested enum by the struct it stands in (Address.Kind, Project.Kind, ...).
        owner = None
        for sm in re.finditer(r'public struct (\w+): Codable', src[:m.start()]):
            owner = sm.group(1)
        indent = len(src[:m.start()].split('\n')[-1])
        enums[(owner + '.' if owner and indent > 0 else '') + m.group(1)] = cases
    # structs: find "public struct Name: Codable" and its properties + CodingKeys
    for m in re.finditer(r'public struct (\w+): Codable, Sendable, Hashable \{', src):
        name = m.group(1)
        # find matching brace
        i = m.end(); depth = 1
        while depth and i < len(src):
            if src[i] == '{': depth += 1
            elif src[i] == '}': depth -= 1
            i += 1
        body = src[m.end():i-1]
        # remove nested structs/enums bodies except CodingKeys we need
        ck = re.search(r'enum CodingKeys: Int, CodingKey \{(.*?)\n\s*\}', body, re.S)
        numbers = dict((a, int(b)) for a, b in re.findall(r'(\w+) = (\d+)', ck.group(1))) if ck else {}
        # top-level properties: lines with exactly 4 more spaces than struct indentation
        props = []
        for pm in re.finditer(r'^(\s*)public var (\w+(?:, \w+)*): ([^\n{=]+?)\s*$', body, re.M):
            for pn in pm.group(2).split(', '):
                if pn in numbers:
                    props.append((pn, pm.group(3).strip(), numbers[pn]))
        # doc comment just before struct
        before = src[:m.start()].rstrip().split('\n')
        doc = []
        for line in reversed(before):
            s = line.strip()
            if s.startswith('///'): doc.insert(0, s[3:].strip())
            else: break
        if name in structs and structs[name][0]: continue
        structs[name] = (sorted(props, key=lambda p: p[2]), ' '.join(doc))
    for m in re.finditer(r'public enum (\w+Service) \{\n\s*public static let name = "([^"]+)"(.*?)\n\}', src, re.S):
        methods = []
        body = m.group(3)
        pending_doc = []
        for line in body.split('\n'):
            s = line.strip()
            if s.startswith('///'):
                pending_doc.append(s[3:].strip()); continue
            mm = re.match(r'public static let \w+ = (UnaryMethod|ServerStreamingMethod)<(\w+), (\w+)>\(service: name, method: "(\w+)"\)', s)
            if mm:
                kind = 'unary' if mm.group(1) == 'UnaryMethod' else 'server streaming'
                methods.append((mm.group(4), kind, mm.group(2), mm.group(3), ' '.join(pending_doc)))
            mm = re.match(r'public static let \w+ = MethodDescriptor\(service: name, method: "(\w+)", kind: \.(\w+)\)', s)
            if mm:
                methods.append((mm.group(1), mm.group(2), 'stream UploadFileMessage', 'FileInfo', ' '.join(pending_doc)))
            if s and not s.startswith('///'): pending_doc = []
        services.append((m.group(2), methods))
out = []
out.append('# The customer API (`customer.v1`)\n')
out.append('Services, methods and messages of the customer card service, as they travel on the wire. The\n'
           'framing, handshake, status codes and built-in services are in [PROTOCOL.md](PROTOCOL.md); how a\n'
           'message is encoded (tags, wire types, each Swift type) is in [ENCODING.md](ENCODING.md). A field is\n'
           'identified by its number: numbers never change and are never reused; new fields only get new\n'
           'numbers, and readers skip fields they do not know. Optional fields (`?`) are absent when not set;\n'
           'repeated fields (`[T]`) may be empty. `Decimal` is exact money (ENCODING.md), `Date` an instant.\n'
           'In update requests an absent field means "unchanged" and an empty string clears an optional text.\n\n'
           'This file is generated from `Protocol/CustomerAPI/*.swift` (the field numbers are the `CodingKeys`) by\n'
           '`python3 Protocol/generate-api-doc.py .`;\n'
           'a test checks that every method the server registers is listed here.\n')
out.append('Every call runs as the user the caller\'s OS uid maps to, and each method needs a right of that\n'
           'user\'s permission profile (README.md, "Permissions"); a refusal is `PERMISSION_DENIED` with the detail\n'
           '`right` naming the missing right (`Rights` field name). A user flagged as a trusted service may send the\n'
           'call metadata `acting-for: USER NAME`: the call then runs as that person; from anyone else it is refused.\n')
out.append('**Text.** A text field is stored trimmed of white space at both ends, whole or not at all. Its limit\n'
           'counts Unicode code points, as SQLite\'s `length()` does (`é` written as `e` and a combining accent is\n'
           'two). No text may hold a control character (Unicode category Cc: NUL, escape, DEL, the C1 range) or a\n'
           'line or paragraph separator, except the free texts, which may hold line feeds and tabs: a customer\'s\n'
           '`description`, a contact\'s `notes`, the `text` of an activity note and of a collaboration note, a lost\n'
           'sales case\'s `reason` and an invoice\'s `description`. A refusal is `INVALID_ARGUMENT` with the field\n'
           'in the details. Names that are only looked up (users, keywords, roles, industries) and the `search` of a\n'
           'customer query refuse control characters the same way.\n')
out.append('## Services\n')
for svc, methods in services:
    out.append(f'### `{svc}`\n')
    out.append('| method | kind | request | response | notes |\n| --- | --- | --- | --- | --- |')
    for (meth, kind, inp, outp, doc) in methods:
        out.append(f'| `{svc}/{meth}` | {kind} | `{inp}` | `{outp}` | {doc} |')
    out.append('')
out.append('## Enumerations\n')
out.append('Encoded as their number (a varint).\n')
out.append('| enum | values |\n| --- | --- |')
for e, cases in sorted(enums.items()):
    out.append(f'| `{e}` | ' + ', '.join(f'{c} = {v}' for c, v in cases) + ' |')
out.append('\n## Messages\n')
for name in sorted(structs):
    props, doc = structs[name]
    out.append(f'### `{name}`\n')
    if doc: out.append(doc + '\n')
    if not props:
        out.append('No fields.\n'); continue
    out.append('| # | field | type |\n| --- | --- | --- |')
    for (pn, t, n) in props:
        out.append(f'| {n} | `{pn}` | `{t}` |')
    out.append('')
open(os.path.join(root, 'Protocol/CUSTOMER-API.md'), 'w').write('\n'.join(out) + '\n')
print(len(services), 'services', sum(len(m) for _, m in services), 'methods', len(structs), 'messages')
