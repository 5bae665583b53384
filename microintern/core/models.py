from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `heartbeat` task: proof that a worker consumed a message from the broker.

    One row per worker host name, updated in place, so the table never grows.
    """

    hostname = models.CharField(max_length=255, unique=True)
    beats = models.PositiveBigIntegerField(default=0)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.last_seen:%Y-%m-%d %H:%M:%S %Z}"
