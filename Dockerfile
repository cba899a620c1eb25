# iamproof as a service: a local IAM Access Analyzer endpoint (see "Running as a service" in
# README.md).
#
#   docker build -t iamproof .
#   docker run --rm -p 127.0.0.1:8080:8080 iamproof
#
# Request signatures are not verified: publish the port on loopback or a private network only.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
# Only what the build reads (keeps target/ and the rest of a working tree out of the context).
COPY Cargo.toml Cargo.lock ./
COPY crates crates
RUN cargo build --release --locked -p iamproof-cli \
    && cp target/release/iamproof /usr/local/bin/iamproof

FROM debian:bookworm-slim
# The built-in solver needs nothing else. (For the portfolio's external solvers, add
# `apt-get install -y --no-install-recommends z3`.)
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin iamproof
COPY --from=build /usr/local/bin/iamproof /usr/local/bin/iamproof
USER iamproof
EXPOSE 8080
# SIGTERM (docker stop) shuts the server down gracefully: requests in progress finish.
STOPSIGNAL SIGTERM
ENTRYPOINT ["iamproof", "serve", "--listen", "0.0.0.0:8080"]
