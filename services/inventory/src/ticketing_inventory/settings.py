"""Settings of the inventory service (environment, prefix ``TICKETING_``)."""

from pydantic import Field

from ticketing_runtime.settings import Port, ServiceSettings


class InventorySettings(ServiceSettings):
    service_name: str = "inventory"
    http_port: Port = 28081
    hold_sweep_interval_s: float = Field(1.0, ge=0)
    """how often expired holds are announced (``hold.expired``); 0 turns the sweeper off"""
    holds_per_session_per_minute: int = Field(30, ge=0)
    """hold placements one session may make per minute on one performance (429 above); 0: any"""
    live_holds_per_session: int = Field(3, ge=0)
    """holds one customer session may have held (not yet ordered) on one performance at once
    (409 above; box-office clerks are not bound); 0: any number"""
