"""Settings of the API benchmark: the benchmark settings plus the bare JSON view's URLs."""

from bench_settings import *  # noqa: F403

ROOT_URLCONF = "api_bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
