#!/usr/bin/env python3
"""Who holds the byte arrays in a heap dump (docs/benchmarks.md, "Idle connections").

    jcmd <hub pid> GC.heap_dump /tmp/h.hprof      # live objects only
    bench/tools/heap-holders.py /tmp/h.hprof [CONNECTIONS]

Prints, per holding field (Class.field, or [ElementClass] for an array element), how many byte[]
it holds and their bytes (16 B array header included), divided by CONNECTIONS when given.
jcmd GC.class_histogram says how much byte[] there is, not whose; this reads the HPROF 1.0.2 format
(8-byte ids, as HotSpot writes on 64-bit) with the standard library only.
"""
import collections
import mmap
import struct
import sys

U2 = struct.Struct('>H').unpack_from
U4 = struct.Struct('>I').unpack_from
U8 = struct.Struct('>Q').unpack_from
SIZE = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # HPROF basic types; 2 = object id


def main(path, connections):
    with open(path, 'rb') as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    p = m.find(b'\0') + 1
    if U4(m, p)[0] != 8:
        sys.exit('only 8-byte ids are supported')
    p += 12
    strings, class_name_id, classes = {}, {}, {}
    byte_arrays, instances, object_arrays = {}, [], []
    while p < len(m):
        tag, length = m[p], U4(m, p + 5)[0]
        p += 9
        end = p + length
        if tag == 0x01:
            strings[U8(m, p)[0]] = m[p + 8:end].decode('utf-8', 'replace')
        elif tag == 0x02:
            class_name_id[U8(m, p + 4)[0]] = U8(m, p + 16)[0]
        elif tag in (0x0C, 0x1C):
            q = p
            while q < end:
                sub = m[q]
                q += 1
                if sub in (0xFF, 0x05, 0x07):
                    q += 8
                elif sub in (0x01, 0x02, 0x03, 0x08):
                    q += 16
                elif sub in (0x04, 0x06):
                    q += 12
                elif sub == 0x20:  # class dump: skip constant pool and statics, keep instance fields
                    cid, sup = U8(m, q)[0], U8(m, q + 12)[0]
                    q += 8 + 4 + 8 * 6 + 4
                    n = U2(m, q)[0]; q += 2
                    for _ in range(n):
                        q += 3 + SIZE[m[q + 2]]
                    n = U2(m, q)[0]; q += 2
                    for _ in range(n):
                        q += 9 + SIZE[m[q + 8]]
                    n = U2(m, q)[0]; q += 2
                    fields = []
                    for _ in range(n):
                        fields.append((U8(m, q)[0], m[q + 8]))
                        q += 9
                    classes[cid] = (sup, fields)
                elif sub == 0x21:
                    cid, n = U8(m, q + 12)[0], U4(m, q + 20)[0]
                    instances.append((cid, q + 24))
                    q += 24 + n
                elif sub == 0x22:
                    n, ecid = U4(m, q + 12)[0], U8(m, q + 16)[0]
                    object_arrays.append((ecid, q + 24, n))
                    q += 24 + 8 * n
                elif sub == 0x23:
                    oid, n, t = U8(m, q)[0], U4(m, q + 12)[0], m[q + 16]
                    if t == 8:
                        byte_arrays[oid] = n
                    q += 17 + n * SIZE[t]
                else:
                    sys.exit('unknown heap dump record 0x%x at %d' % (sub, q))
        p = end

    def name(cid):
        return strings.get(class_name_id.get(cid), '?').split('/')[-1]

    layouts = {}

    def layout(cid):  # (Class.field, type) in dump order: the class's own fields, then its superclass's
        if cid not in layouts:
            out, c = [], cid
            while c in classes:
                sup, fields = classes[c]
                out += [(name(c) + '.' + strings.get(nid, '?'), t) for nid, t in fields]
                c = sup
            layouts[cid] = out
        return layouts[cid]

    count, size = collections.Counter(), collections.Counter()

    def held(holder, ref):
        if ref in byte_arrays:
            count[holder] += 1
            size[holder] += byte_arrays[ref] + 16

    for cid, q in instances:
        for field, t in layout(cid):
            if t == 2:
                held(field, U8(m, q)[0])
            q += SIZE[t]
    for ecid, q, n in object_arrays:
        for i in range(n):
            held('[' + name(ecid) + ']', U8(m, q + 8 * i)[0])
    total = sum(byte_arrays.values()) + 16 * len(byte_arrays)
    div = connections or 1
    unit = 'B per connection' if connections else 'B'
    print('byte[]: %d arrays, %d B (%.0f %s)' % (len(byte_arrays), total, total / div, unit))
    for holder, b in size.most_common(20):
        print('%10.1f %s  %8.2f arrays  %s' % (b / div, unit, count[holder] / div, holder))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
