"""Debian packages without dpkg, for the GPU run (run.sh): which carried .deb files provide a
library or program this machine lacks, and unpacking one, as `dpkg -x DEB DEST` does.

  python3 debx.py needed DEB...          one line per DEB that provides something missing:
                                         "PATH<TAB>what is missing"
  python3 debx.py extract DEST DEB...    unpack each DEB's files under DEST
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile


def data_tar(deb):
    """The data.tar.* member of a .deb (an ar archive)."""
    with open(deb, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise SystemExit(f"debx: {deb} is not an ar archive")
        while True:
            header = f.read(60)
            if len(header) < 60:
                break
            name = header[:16].decode().strip().rstrip("/")
            size = int(header[48:58].decode().strip())
            blob = f.read(size)
            if size % 2:
                f.read(1)
            if name.startswith("data.tar"):
                return tarfile.open(fileobj=io.BytesIO(blob), mode="r:*")
    raise SystemExit(f"debx: {deb} has no data.tar member")


def known_libraries():
    names = set()
    for ldconfig in ("ldconfig", "/sbin/ldconfig"):
        try:
            text = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
        except OSError:
            continue
        for line in text.splitlines():
            m = re.match(r"\s+(\S+) \(([^)]*)\)", line)
            if m and "x86-64" in m.group(2):
                names.add(m.group(1))
        break
    dirs = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(":") if d]
    dirs += ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]
    for d in dirs:
        try:
            names.update(os.listdir(d))
        except OSError:
            pass
    return names


def needed(debs):
    libs = known_libraries()
    for deb in debs:
        missing = set()
        for m in data_tar(deb).getmembers():
            base = os.path.basename(m.name)
            if "/lib/" in m.name and re.fullmatch(r"lib.+\.so\.\d+", base) and base not in libs:
                missing.add(base)
            elif re.search(r"/s?bin/", m.name) and (m.isfile() or m.issym()) and shutil.which(base) is None:
                missing.add(base)
        if missing:
            print(f"{deb}\t{' '.join(sorted(missing))}")


def extract(dest, deb):
    kwargs = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
    data_tar(deb).extractall(dest, **kwargs)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "needed":
        needed(sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "extract":
        failed = 0
        for path in sys.argv[3:]:
            try:
                extract(sys.argv[2], path)
            except Exception as error:  # noqa: BLE001 (any failure: report it, go on with the next)
                print(f"debx: {path}: {error}", file=sys.stderr)
                failed += 1
        sys.exit(1 if failed else 0)
    else:
        raise SystemExit(__doc__)
