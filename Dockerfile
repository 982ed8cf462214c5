# modsl in a container, for the Kubernetes CronJobs `modsl schedule export --format kubernetes`
# writes. Their `image:` defaults to modsl:VERSION (modsl/_version.py's __version__), the tag
# built here; pushed to a registry, name it with `--image registry.example/modsl:0.2.0.dev0`.
#   docker build -t modsl:0.2.0.dev0 .
#   docker run --rm -v "$PWD/plans:/plans:ro" modsl:0.2.0.dev0 lint /plans
# The DSN comes from the environment (MODSL_DSN, a Kubernetes secret), never from arguments.
# modsl's CI does not build this image (its machines cannot pull python:3.11-slim):
# tests/test_dockerfile.py checks it statically — a non-root USER, ENTRYPOINT ["modsl"], every
# COPY source in the repository, and the tag above equal to the export's default image.
FROM python:3.11-slim

WORKDIR /src
COPY pyproject.toml README.md ./
COPY modsl ./modsl
COPY grammar ./grammar
COPY docs/rules.md ./docs/rules.md
RUN pip install --no-cache-dir . \
    && rm -rf /src \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin modsl \
    && mkdir -p /work/.modsl && chown -R modsl /work

# The Lark parser's cache is written on first use; build it now, as the user who runs.
USER 10001
WORKDIR /work
RUN printf 'target matrixone 4.2\nas account sys\nsnapshot s for cluster\n' > /tmp/warm.mobak \
    && modsl lint /tmp/warm.mobak && rm /tmp/warm.mobak
ENTRYPOINT ["modsl"]
CMD ["--help"]
