"""``keras.utils.get_file``: download a file into the cache once, check its hash, extract.

The cache is ``$TINYTF_HOME/<cache_subdir>`` (default ``~/.tinytf/datasets``); Keras uses
``~/.keras``. A download goes to a temporary file that replaces the target only once its
hash matched, so a partial or corrupt file is never left in the cache. Offline, the
error says which file to put where.
"""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile


class _OfflineError(Exception):
    """The download could not reach its origin (no network, refused, not found)."""


def tinytf_home():
    """The root of tinytf's cache: ``$TINYTF_HOME`` or ``~/.tinytf``."""
    return os.path.expanduser(os.environ.get("TINYTF_HOME", os.path.join("~", ".tinytf")))


def _hash_file(path, algorithm="sha256", chunk_size=65535):
    h = hashlib.md5() if algorithm == "md5" else hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            h.update(chunk)
    return h.hexdigest()


def _accepted(target):
    """True if this exact local file was accepted before despite a hash mismatch."""
    marker = target + ".accepted-sha256"
    if not os.path.exists(marker):
        return False
    with open(marker) as f:
        return f.read().strip() == _hash_file(target)


def _algorithm(file_hash, hash_algorithm):
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    return "sha256" if len(file_hash) == 64 else "md5"


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """True if the file at ``fpath`` has hash ``file_hash`` (sha256 or md5)."""
    return _hash_file(fpath, _algorithm(file_hash, algorithm), chunk_size) == str(file_hash)


def _download(origin, target, file_hash, hash_algorithm):
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".part",
                               dir=os.path.dirname(target))
    os.close(fd)
    try:
        print(f"Downloading data from {origin}")
        try:
            with urllib.request.urlopen(origin, timeout=60) as r, open(tmp, "wb") as f:
                shutil.copyfileobj(r, f, 1 << 20)
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise _OfflineError(
                f"URL fetch failure on {origin}: {e}. If this machine has no internet, "
                f"download the file elsewhere and put it at {target}") from None
        if file_hash is not None and not validate_file(tmp, file_hash, hash_algorithm):
            raise ValueError(
                f"Incomplete or corrupted file detected. The "
                f"{_algorithm(file_hash, hash_algorithm)} file hash does not match the "
                f"provided value of {file_hash}. Download it again, or put a good copy at "
                f"{target}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _extract(archive, path, archive_format="auto"):
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    for fmt in formats:
        if fmt == "tar" and tarfile.is_tarfile(archive):
            tmp = path + ".extracting"
            shutil.rmtree(tmp, ignore_errors=True)
            with tarfile.open(archive) as t:
                t.extractall(tmp, filter="data")
            shutil.rmtree(path, ignore_errors=True)
            os.replace(tmp, path)
            return True
        if fmt == "zip" and zipfile.is_zipfile(archive):
            tmp = path + ".extracting"
            shutil.rmtree(tmp, ignore_errors=True)
            with zipfile.ZipFile(archive) as z:
                z.extractall(tmp)
            shutil.rmtree(path, ignore_errors=True)
            os.replace(tmp, path)
            return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Downloads a file from a URL if it is not already in the cache; returns its path.

    With ``extract=True`` the archive is unpacked and the extraction folder's path is
    returned, as Keras 3 does.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to '
                         'download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir) if cache_dir is not None else tinytf_home()
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    provided = fname
    fname = os.fspath(fname) if fname else ""
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: "
                             f"'{origin}'.Please specify the `fname` argument.")
    elif os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify "
                         f"the file's parent directory, use the `cache_dir` argument. "
                         f"Received: fname={fname}")
    if extract or untar:
        if provided and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, fname[:fname.find(".")] + "_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(target)
    stale = False
    if not download and file_hash is not None and not validate_file(target, file_hash,
                                                                    hash_algorithm) \
            and not _accepted(target):
        print(f"A local file was found, but it seems to be incomplete or outdated because "
              f"the {_algorithm(file_hash, hash_algorithm)} file hash does not match the "
              f"original value of {file_hash} so we will re-download the data.")
        download = stale = True
    if download:
        try:
            _download(origin, target, file_hash, hash_algorithm)
        except _OfflineError:
            if not stale:
                raise
            # Offline with a file the user put in place (e.g. the same data packaged
            # differently): use it rather than fail; the loader still checks its contents.
            warnings.warn(f"Could not re-download {origin}; using the local file {target} "
                          "whose hash differs from the published one.", stacklevel=2)
            with open(target + ".accepted-sha256", "w") as f:
                f.write(_hash_file(target))
    if extract or untar:
        if download or not os.path.exists(extraction_dir):
            if not _extract(target, extraction_dir, "tar" if untar else archive_format):
                raise ValueError(f"Could not extract {target}: not a tar or zip archive.")
        return extraction_dir
    return target
