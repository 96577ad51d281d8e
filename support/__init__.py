"""What the template's tests and its benchmark share, one module per concern.

- tools: find a program the suite installed, or say how to install it;
- processes: free ports, servers started and stopped by their owner;
- project: bake a project, install it, run its commands;
- webservers: the project's deploy/nginx.conf adapted to loopback, a test certificate;
- stacks: running sites (development, and production behind nginx, with moto for s3);
- browser, http, images: Chromium's arguments, one HTTP fetch, test images.

Nothing here imports pytest: failures raise exceptions that say what went wrong.
"""
