"""The engine's batch state, typed: what the decisions of one batch share
(:class:`BatchContext`), every decision about one document before its bill
is written (:class:`Plan`), and what the engine returns to its caller, the
run (:class:`RegistrationResult`).  Plain dataclasses holding records; the
engine (``models/l10n_it_autoreg_engine*.py``) fills and reads them."""

from dataclasses import dataclass, field

from .registration.duplicates import DuplicateIndex

# Documents taken together: the run hands batches of this size to the engine
# (and commits after each); the engine locks, reads and prefetches a batch at
# once and writes it in chunks (one create of all their lines each).  A
# larger chunk costs more when a document fails once written (the chunk is
# done again around it).
BATCH_SIZE = 100
CHUNK_SIZE = 25


@dataclass
class BatchContext:
    """What the decisions of one batch share: prefetched records and data,
    and what the batch itself created or decided so far."""

    company: object
    journal: object
    partners: object  # res.partner: candidate suppliers
    contacts: list  # identity.Contact of ``partners``
    taxes: list  # taxes.TaxInfo of the purchase taxes
    currencies: dict  # code -> res.currency
    price_digits: int
    accounting: dict  # products, supplier history (lines)
    rules: list = field(default_factory=list)  # registration.rules.Rule, in order
    learned: dict = field(default_factory=dict)  # supplier id -> [learning.PastLine]
    created: dict = field(default_factory=dict)  # supplier key -> partner
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    special_accounts: dict = field(default_factory=dict)
    created_taxes: dict = field(default_factory=dict)  # missing_taxes.NewTax key -> tax
    # registering on behalf of the scheduled action (not a person's action)
    automatic: bool = False
    # in which order this registration decides documents: the batch's (id ->
    # position), then those of ``later`` (its next batches, a run's next calls)
    order: dict = field(default_factory=dict)
    later: frozenset = frozenset()

    def snapshot(self):
        return (
            self.partners,
            list(self.contacts),
            dict(self.created),
            self.duplicates.clone(),
            list(self.taxes),
            dict(self.created_taxes),
        )

    def restore(self, saved):
        (
            self.partners,
            self.contacts,
            self.created,
            self.duplicates,
            self.taxes,
            self.created_taxes,
        ) = saved
        self.forget_rolled_back()

    def forget_rolled_back(self):
        """Suppliers and taxes created inside a rolled back savepoint no
        longer exist."""
        self.created = {key: p for key, p in self.created.items() if p.exists()}
        alive = self.partners.exists()
        if alive != self.partners:
            self.partners = alive
            self.contacts = [c for c in self.contacts if c.id in alive.ids]
        gone = {t.id for t in self.created_taxes.values()} - set(self.surviving_taxes().ids)
        if gone:
            self.created_taxes = {k: t for k, t in self.created_taxes.items() if t.id not in gone}
            self.taxes = [t for t in self.taxes if t.id not in gone]

    def surviving_taxes(self):
        """The taxes the batch created that still exist (those of the
        documents it registered)."""
        taxes = self.company.env["account.tax"].browse([t.id for t in self.created_taxes.values()])
        return taxes.exists()


@dataclass
class Plan:
    """Every decision about one document, before anything is written on its
    bill (suppliers and bank accounts may have been created)."""

    move: object
    invoice: object
    move_type: str
    sign: int
    partner: object
    vals: dict  # header values of the bill
    line_vals: list  # values of its invoice lines
    entries: dict  # VAT key -> totals.VatEntry
    withholdings: list  # [(Withholding, TaxInfo)]
    pensions: list  # [(PensionFund, TaxInfo)]
    blocks: list  # installments per DatiPagamento
    tolerance: object
    trace: list  # Texts: which rule decided what


@dataclass
class RegistrationResult:
    """What the engine did with the documents it was given."""

    registered: object  # account.move posted
    refused: object  # account.move left not recognized
    skipped: object  # account.move another transaction holds
    created_taxes: object = None  # account.tax created from the registered documents

    def __ior__(self, other):
        self.registered |= other.registered
        self.refused |= other.refused
        self.skipped |= other.skipped
        if other.created_taxes:
            self.created_taxes = other.created_taxes | (self.created_taxes or other.created_taxes)
        return self
