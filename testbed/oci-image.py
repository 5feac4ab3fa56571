#!/usr/bin/env python3
"""Assembles OCI images without a container engine: deterministic gzip'd tar layers, an image
config, a manifest, and an OCI image layout whose index names each image by its reference
(org.opencontainers.image.ref.name = "k8s/kube-apiserver:v1.34.4"), ready for
`skopeo copy oci:LAYOUT:REF docker://REGISTRY/REF`. Python standard library only.

Usage: oci-image.py LAYOUT SPEC.json
       oci-image.py --check LAYOUT SPEC.json   exit 0 when LAYOUT already holds every image of
                                               SPEC.json as it would be made (nothing is built);
                                               otherwise name each image that is not, exit 1

SPEC.json: {"images": [{"ref": "k8s/pause:3.10.1",
                        "layers": [LAYER, ...],
                        "config": {"Entrypoint": [...], "Cmd": [...], "Env": [...], "User": "..."}}],
            "layers": {"NAME": LAYER}}                       (named layers, shared by reference)
LAYER: {"tar": "/path/rootfs.tar"}                           an existing uncompressed tar, as is
     | {"files": [["/src/file", "usr/local/bin/x", "0755"], ...],
        "dirs": [["tmp", "1777"], ...],
        "text": [["etc/passwd", "root:x:0:0:...\\n", "0644"], ...],
        "links": [["opt/cni/bin/calico-ipam", "calico"], ...]}  symbolic links: NAME -> TARGET
     | "NAME"                                                a named layer
An entry of files, dirs or text may end in an owner "UID:GID" (default "0:0"), e.g.
["status/status.json", "", "0644", "999:999"]; the parents of files, text and links that are not
listed in dirs are added, 0755 and root's.
Layers are compressed once per content (keyed by the inputs' sha256) in LAYOUT/.layer-cache.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import time

BUF = 1 << 20


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(BUF):
            h.update(chunk)
    return h.hexdigest()


class Layout:
    def __init__(self, root):
        self.root = root
        self.blobs = os.path.join(root, "blobs", "sha256")
        os.makedirs(self.blobs, exist_ok=True)
        os.makedirs(os.path.join(root, ".layer-cache"), exist_ok=True)
        with open(os.path.join(root, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def put_bytes(self, data):
        digest = hashlib.sha256(data).hexdigest()
        path = os.path.join(self.blobs, digest)
        if not os.path.exists(path):
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.rename(path + ".tmp", path)
        return "sha256:" + digest, len(data)


class HashingWriter:
    """Counts and hashes the uncompressed stream (the layer's diff_id) on its way to gzip."""

    def __init__(self, inner):
        self.inner, self.h, self.n = inner, hashlib.sha256(), 0

    def write(self, b):
        self.h.update(b)
        self.n += len(b)
        return self.inner.write(b)

    def flush(self):
        pass


def layer_key(spec):
    h = hashlib.sha256(json.dumps(spec, sort_keys=True).encode())
    if "tar" in spec:
        st = os.stat(spec["tar"])
        h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    for f in spec.get("files", []):
        st = os.stat(f[0])
        h.update(f"{f[0]}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def tarinfo(name, mode, size=0, kind=tarfile.REGTYPE, owner=None, link=""):
    ti = tarfile.TarInfo(name)
    ti.mode, ti.size, ti.type, ti.linkname = mode, size, kind, link
    uid, gid = (int(n) for n in (owner or "0:0").split(":"))
    ti.mtime, ti.uid, ti.gid = 0, uid, gid
    ti.uname, ti.gname = "root" if uid == 0 else "", "root" if gid == 0 else ""
    return ti


def owner_of(entry, n):
    """The "UID:GID" after an entry's first n fields, or None (root)."""
    if len(entry) not in (n, n + 1):
        raise SystemExit(f"layer entry {entry}: {n} fields and an optional owner")
    if len(entry) == n:
        return None
    uid, sep, gid = entry[n].partition(":")
    if not (sep and uid.isdigit() and gid.isdigit()):
        raise SystemExit(f"layer entry {entry}: owner must be numeric UID:GID")
    return entry[n]


def build_layer(layout, spec):
    """Returns (digest, size, diff_id) of the gzip'd layer, building it only once per content."""
    cache = os.path.join(layout.root, ".layer-cache", layer_key(spec))
    if os.path.exists(cache):
        with open(cache) as f:
            meta = json.load(f)
        if os.path.exists(os.path.join(layout.blobs, meta["digest"].split(":")[1])):
            return meta["digest"], meta["size"], meta["diff_id"]
    tmp = os.path.join(layout.blobs, "layer.tmp")
    with open(tmp, "wb") as out:
        gz = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0, filename="")
        hw = HashingWriter(gz)
        if "tar" in spec:
            with open(spec["tar"], "rb") as f:
                while chunk := f.read(BUF):
                    hw.write(chunk)
        else:
            with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
                entries = []
                parents = set()
                # (a listed dir's own parents are not added: that would change existing layers)
                dsts = ([f[1] for f in spec.get("files", [])] + [t[0] for t in spec.get("text", [])]
                        + [l[0] for l in spec.get("links", [])])
                for name in dsts:
                    if name.startswith("/") or ".." in name.split("/"):
                        raise SystemExit(f"layer path must be relative: {name}")
                    p = os.path.dirname(name)
                    while p:
                        parents.add(p)
                        p = os.path.dirname(p)
                dirs = {d[0]: (int(d[1], 8), owner_of(d, 2)) for d in spec.get("dirs", [])}
                for d in parents | set(dirs):
                    mode, owner = dirs.get(d, (0o755, None))
                    entries.append((d, "dir", mode, None, owner))
                for f in spec.get("files", []):
                    entries.append((f[1], "file", int(f[2], 8), f[0], owner_of(f, 3)))
                for t in spec.get("text", []):
                    entries.append((t[0], "text", int(t[2], 8), t[1], owner_of(t, 3)))
                for name, target in spec.get("links", []):
                    entries.append((name, "link", 0o777, target, None))
                names = [e[0] for e in entries]
                if len(names) != len(set(names)):
                    raise SystemExit(f"layer entries named twice: {sorted({n for n in names if names.count(n) > 1})}")
                for name, kind, mode, arg, owner in sorted(entries):
                    if kind == "dir":
                        tf.addfile(tarinfo(name, mode, kind=tarfile.DIRTYPE, owner=owner))
                    elif kind == "link":
                        tf.addfile(tarinfo(name, mode, kind=tarfile.SYMTYPE, link=arg))
                    elif kind == "text":
                        data = arg.encode()
                        tf.addfile(tarinfo(name, mode, len(data), owner=owner), io.BytesIO(data))
                    else:
                        with open(arg, "rb") as f:
                            tf.addfile(tarinfo(name, mode, os.fstat(f.fileno()).st_size, owner=owner), f)
        gz.close()
    digest = sha256_file(tmp)
    size = os.path.getsize(tmp)
    os.rename(tmp, os.path.join(layout.blobs, digest))
    meta = {"digest": "sha256:" + digest, "size": size, "diff_id": "sha256:" + hw.h.hexdigest()}
    with open(cache, "w") as f:
        json.dump(meta, f)
    return meta["digest"], meta["size"], meta["diff_id"]


def cached_layer(root, spec):
    """True when build_layer would find this layer in the cache (inputs unchanged, blob there)."""
    try:
        with open(os.path.join(root, ".layer-cache", layer_key(spec))) as f:
            digest = json.load(f)["digest"]
    except (OSError, ValueError, KeyError):
        return False
    return os.path.exists(os.path.join(root, "blobs", "sha256", digest.split(":")[1]))


def check(root, spec):
    named = spec.get("layers", {})
    try:
        with open(os.path.join(root, "index.json")) as f:
            refs = {m["annotations"]["org.opencontainers.image.ref.name"] for m in json.load(f)["manifests"]}
    except (OSError, ValueError, KeyError):
        refs = set()
    missing = [image["ref"] for image in spec["images"]
               if image["ref"] not in refs
               or not all(cached_layer(root, named[l] if isinstance(l, str) else l) for l in image["layers"])]
    for ref in missing:
        print(f"image {ref}: not in {root} as it would be made now")
    return 1 if missing else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        with open(sys.argv[3]) as f:
            sys.exit(check(sys.argv[2], json.load(f)))
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    layout = Layout(sys.argv[1])
    with open(sys.argv[2]) as f:
        spec = json.load(f)
    named = spec.get("layers", {})
    index = []
    for image in spec["images"]:
        t0 = time.time()
        layers, diff_ids = [], []
        for l in image["layers"]:
            digest, size, diff_id = build_layer(layout, named[l] if isinstance(l, str) else l)
            layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
            diff_ids.append(diff_id)
        cfg = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}
        cfg.update(image.get("config", {}))
        config = {
            "created": "1970-01-01T00:00:00Z",
            "architecture": "amd64",
            "os": "linux",
            "config": cfg,
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "cairn testbed/oci-image.py"}] * len(layers),
        }
        cdigest, csize = layout.put_bytes(json.dumps(config, sort_keys=True).encode())
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdigest, "size": csize},
            "layers": layers,
        }
        mdigest, msize = layout.put_bytes(json.dumps(manifest, sort_keys=True).encode())
        index.append({
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest, "size": msize,
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"org.opencontainers.image.ref.name": image["ref"]},
        })
        total = sum(l["size"] for l in layers)
        print(f"{image['ref']}\t{mdigest}\t{total / 1e6:.1f} MB compressed\t{time.time() - t0:.1f} s", flush=True)
    with open(os.path.join(layout.root, "index.json.tmp"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": index}, f, indent=1)
    os.rename(os.path.join(layout.root, "index.json.tmp"), os.path.join(layout.root, "index.json"))


if __name__ == "__main__":
    main()
