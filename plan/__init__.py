"""The aftercare plan: a patient's whole routine, day by day, under the clinic's protocol.

Modules: routine (the products a patient names and pastes, validated), build (routine + Checker +
treatment date -> Plan: per day which products to use, use with care or leave out and why, and when
each comes back), advice (what the protocol's timeline asks that no product covers, per day),
calendar (Plan -> an RFC 5545 .ics with one event per return date), override (a Checker made
stricter for one patient). Imports the checker only; nothing here knows about Flask.
"""

from .build import Plan, build_plan
from .routine import Product, read_products

__all__ = ["Plan", "Product", "build_plan", "read_products"]
