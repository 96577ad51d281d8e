"""What avatars cost: the worst inputs the rules accept, and the stored formats compared."""

import statistics

AVATAR_SCRIPT = """
import re, sys, threading, time
from pathlib import Path
import django
django.setup()
from django.core.files import File
from users.avatars import make_avatar

def rss(field):
    return int(re.search(field + r":\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))

path, at_once = Path(sys.argv[1]), int(sys.argv[2])
idle = rss("VmRSS")
errors = []
def work():
    with path.open("rb") as file:
        try:
            make_avatar(File(file, name=path.name))
        except Exception as error:
            errors.append(str(error))
def timed():
    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started
timed()
peak = rss("VmHWM") - idle  # of the first batch, as before any other
# Timed as in a web worker that has made avatars before; the median, as one run is noisy.
seconds = sorted(timed() for _ in range(3))[1]
print(peak // 1024, seconds, errors[:1])
"""


def worst_case_avatars(directory, quick=False):
    """The largest input of each kind that the avatar rules accept, written to files; with
    quick, only the first."""
    from PIL import Image

    def gradient(size, mode="RGB"):
        grey = Image.linear_gradient("L").resize(size)
        return Image.merge("RGB", (grey, grey.rotate(90), grey.rotate(180))).convert(mode)

    cases = {
        "JPEG 4096×4096, baseline": (gradient((4096, 4096)), "JPEG", {}),
        "JPEG 4096×4096, progressive": (gradient((4096, 4096)), "JPEG", {"progressive": True}),
        "JPEG 3400×3400, progressive CMYK": (
            gradient((3400, 3400), "CMYK"),
            "JPEG",
            {"progressive": True},
        ),
        "WebP 2400×2400, lossy": (gradient((2400, 2400)), "WEBP", {"quality": 80}),
        "WebP 2400×2400, lossless": (gradient((2400, 2400)), "WEBP", {"lossless": True}),
        "PNG 4096×4096, RGB": (gradient((4096, 4096)), "PNG", {}),
        "PNG 3400×3400, RGBA": (gradient((3400, 3400), "RGBA"), "PNG", {}),
        "PNG 1×8,000,000": (Image.new("L", (1, 8_000_000)), "PNG", {}),
    }
    if quick:
        cases = dict(list(cases.items())[:1])
    files = {}
    for name, (image, fmt, options) in cases.items():
        files[name] = directory / f"{len(files)}.{fmt.lower()}"
        image.save(files[name], fmt, **options)
    if quick:
        return files
    # A GIF whose first frame is 4096×4096, then 385 more frame headers (never decoded).
    first = directory / "frames.gif"
    Image.new("P", (4096, 4096), 1).save(first, "GIF")
    data = first.read_bytes()[:-1]
    frame = b"," + (0).to_bytes(4, "little") + (4096).to_bytes(2, "little") * 2 + b"\0"
    first.write_bytes(data + (frame + b"\x02\x02\x4c\x01\x00") * 385 + b";")
    files["GIF 4096×4096, 386 frames"] = first
    return files


# Made with the project's own Python: its HEIC encoder (pillow-heif) and its tests' ICC
# profile builder (tests/images.py), so neither is written twice.
PROJECT_MADE = """
import sys
sys.path.insert(0, "tests")
from PIL import Image
from pillow_heif import register_heif_opener
from images import DISPLAY_P3, icc_profile
register_heif_opener()
directory = sys.argv[1]
grey = Image.linear_gradient("L").resize((4000, 3000))
flipped = grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
photo = Image.merge("RGB", (grey, flipped, grey.rotate(180)))
photo.save(directory + "/iphone.heic", "HEIF", quality=80)
photo.save(directory + "/p3.jpg", "JPEG", quality=90, icc_profile=icc_profile(DISPLAY_P3))
"""


def project_made_avatars(project, env, directory):
    """A 12 MP HEIC, as an iPhone saves, and a 12 MP Display P3 JPEG, made by the project."""
    project.run(project.python, "-c", PROJECT_MADE, str(directory), env=env, timeout=300)
    return {
        "HEIC 4000×3000 (12 MP, as one coded image)": directory / "iphone.heic",
        "JPEG 4000×3000, Display P3 profile": directory / "p3.jpg",
    }


def gif_scan_worst_case(directory):
    """5,000,000 bytes of GIF: a comment of 1-byte sub-blocks, then one more frame header,
    the layout that costs the frame scan most."""
    from PIL import Image

    path = directory / "sub-blocks.gif"
    Image.new("P", (10, 10)).save(path, "GIF")
    first = path.read_bytes()[:-1]
    frame = b"," + (0).to_bytes(4, "little") + (10).to_bytes(2, "little") * 2 + b"\0"
    frame += b"\x02\x02\x4c\x01\x00"
    blocks = (5_000_000 - len(first) - len(frame) - 4) // 2
    path.write_bytes(first + b"!\xfe" + b"\x01x" * blocks + b"\x00" + frame + b";")
    return {"GIF 5 MB of 1-byte comment sub-blocks": path}


def avatar_costs(project, env, directory, at_once, quick=False):
    """Per worst-case input: (peak RSS above idle in MB, seconds) alone and at_once together."""
    rows = []
    inputs = worst_case_avatars(directory, quick)
    if not quick:
        inputs |= gif_scan_worst_case(directory) | project_made_avatars(project, env, directory)
    for name, path in inputs.items():
        measured = []
        for threads in (1, at_once):
            result = project.run(project.python, "-c", AVATAR_SCRIPT, str(path), str(threads),
                                 env=env, timeout=300)  # fmt: skip
            peak, seconds, errors = result.stdout.split(maxsplit=2)
            if errors.strip() != "[]":
                raise SystemExit(f"{name} was refused: {errors}")
            measured += [int(peak), float(seconds)]
        rows.append((name, path.stat().st_size, *measured))
    return rows


def avatar_formats(images=8):
    """Stored avatar formats compared on photo-like 512×512 images: mean bytes and PSNR."""
    import io
    import math

    from PIL import Image, ImageChops, ImageFilter, ImageStat

    sources = []
    for seed in range(images):
        noise = Image.effect_noise((512, 512), 40 + seed * 8).convert("RGB")
        scene = Image.effect_mandelbrot((512, 512), (-2 + seed * 0.1, -1.2, 1, 1.2), 60)
        scene = Image.merge(
            "RGB", (scene, scene.rotate(90), Image.linear_gradient("L").resize((512, 512)))
        )
        sources.append(Image.blend(scene.filter(ImageFilter.GaussianBlur(2)), noise, 0.15))
    encoders = {
        "JPEG quality 85": ("JPEG", {"quality": 85}),
        "WebP quality 82 (stored)": ("WEBP", {"quality": 82, "method": 4}),
        "AVIF quality 60": ("AVIF", {"quality": 60}),
        "PNG (lossless)": ("PNG", {"optimize": True}),
        "WebP lossless (stored for PNG, GIF)": ("WEBP", {"lossless": True, "method": 4}),
    }
    rows = []
    for name, (fmt, options) in encoders.items():
        sizes, scores = [], []
        for source in sources:
            buffer = io.BytesIO()
            try:
                source.save(buffer, fmt, **options)
            except (KeyError, OSError):
                break
            decoded = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
            mse = sum(v * v for v in ImageStat.Stat(ImageChops.difference(source, decoded)).rms) / 3
            sizes.append(buffer.tell())
            scores.append(99.0 if mse == 0 else 10 * math.log10(255**2 / mse))
        if sizes:
            rows.append((name, statistics.mean(sizes) / 1024, statistics.mean(scores)))
    return rows
