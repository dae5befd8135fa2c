"""Code tables of FatturaPA (Specifiche tecniche 1.9, schema 1.2.3), with
their Italian descriptions.  The reader keeps codes as written; these tables
only say whether a code is known (``unknown_code`` warning otherwise)."""

DOCUMENT_TYPES = {
    "TD01": "Fattura",
    "TD02": "Acconto/anticipo su fattura",
    "TD03": "Acconto/anticipo su parcella",
    "TD04": "Nota di credito",
    "TD05": "Nota di debito",
    "TD06": "Parcella",
    "TD07": "Fattura semplificata",
    "TD08": "Nota di credito semplificata",
    "TD09": "Nota di debito semplificata",
    "TD16": "Integrazione fattura reverse charge interno",
    "TD17": "Integrazione/autofattura per acquisto servizi dall'estero",
    "TD18": "Integrazione per acquisto di beni intracomunitari",
    "TD19": "Integrazione/autofattura per acquisto di beni ex art. 17 c.2 DPR 633/72",
    "TD20": "Autofattura per regolarizzazione (art. 6 c.9-bis D.Lgs. 471/97)",
    "TD21": "Autofattura per splafonamento",
    "TD22": "Estrazione beni da Deposito IVA",
    "TD23": "Estrazione beni da Deposito IVA con versamento dell'IVA",
    "TD24": "Fattura differita di cui all'art. 21, comma 4, lett. a)",
    "TD25": "Fattura differita di cui all'art. 21, comma 4, terzo periodo lett. b)",
    "TD26": "Cessione di beni ammortizzabili e per passaggi interni",
    "TD27": "Fattura per autoconsumo o per cessioni gratuite senza rivalsa",
    "TD28": "Acquisti da San Marino con IVA (fattura cartacea)",
    "TD29": "Comunicazione per omessa o irregolare fatturazione",
}
# Only these may appear in a simplified invoice (FSM10).
SIMPLIFIED_DOCUMENT_TYPES = ("TD07", "TD08", "TD09")
# Documents whose VAT the buyer accounts for itself (integrations and self-
# invoices of reverse charge, San Marino purchases): what is paid to the
# supplier may be the taxable amount alone.
SELF_ASSESSED_DOCUMENT_TYPES = ("TD16", "TD17", "TD18", "TD19", "TD28")

VAT_NATURES = {
    "N1": "Escluse ex art. 15 del DPR 633/72",
    "N2": "Non soggette (codice generico, non più valido dal 2021)",
    "N2.1": "Non soggette ad IVA ai sensi degli artt. da 7 a 7-septies del DPR 633/72",
    "N2.2": "Non soggette - altri casi",
    "N3": "Non imponibili (codice generico, non più valido dal 2021)",
    "N3.1": "Non imponibili - esportazioni",
    "N3.2": "Non imponibili - cessioni intracomunitarie",
    "N3.3": "Non imponibili - cessioni verso San Marino",
    "N3.4": "Non imponibili - operazioni assimilate alle cessioni all'esportazione",
    "N3.5": "Non imponibili - a seguito di dichiarazioni d'intento",
    "N3.6": ("Non imponibili - altre operazioni che non concorrono alla formazione del " "plafond"),
    "N4": "Esenti",
    "N5": "Regime del margine / IVA non esposta in fattura",
    "N6": "Inversione contabile (codice generico, non più valido dal 2021)",
    "N6.1": "Inversione contabile - cessione di rottami e altri materiali di recupero",
    "N6.2": "Inversione contabile - cessione di oro e argento",
    "N6.3": "Inversione contabile - subappalto nel settore edile",
    "N6.4": "Inversione contabile - cessione di fabbricati",
    "N6.5": "Inversione contabile - cessione di telefoni cellulari",
    "N6.6": "Inversione contabile - cessione di prodotti elettronici",
    "N6.7": "Inversione contabile - prestazioni comparto edile e settori connessi",
    "N6.8": "Inversione contabile - operazioni settore energetico",
    "N6.9": "Inversione contabile - altri casi",
    "N7": "IVA assolta in altro stato UE",
}
REVERSE_CHARGE_NATURES = tuple(code for code in VAT_NATURES if code.startswith("N6"))

TAX_REGIMES = {
    "RF01": "Ordinario",
    "RF02": "Contribuenti minimi (art. 1, c.96-117, L. 244/07)",
    "RF04": "Agricoltura e attività connesse e pesca",
    "RF05": "Vendita sali e tabacchi",
    "RF06": "Commercio fiammiferi",
    "RF07": "Editoria",
    "RF08": "Gestione servizi telefonia pubblica",
    "RF09": "Rivendita documenti di trasporto pubblico e di sosta",
    "RF10": (
        "Intrattenimenti, giochi e altre attività di cui alla tariffa allegata al DPR " "640/72"
    ),
    "RF11": "Agenzie viaggi e turismo",
    "RF12": "Agriturismo",
    "RF13": "Vendite a domicilio",
    "RF14": "Rivendita beni usati, oggetti d'arte, d'antiquariato o da collezione",
    "RF15": ("Agenzie di vendite all'asta di oggetti d'arte, antiquariato o da collezione"),
    "RF16": "IVA per cassa P.A.",
    "RF17": "IVA per cassa (art. 32-bis DL 83/2012)",
    "RF18": "Altro",
    "RF19": "Regime forfettario (art. 1, c.54-89, L. 190/2014)",
    "RF20": "Regime transfrontaliero di franchigia IVA (Direttiva UE 2020/285)",
}

PAYMENT_METHODS = {
    "MP01": "Contanti",
    "MP02": "Assegno",
    "MP03": "Assegno circolare",
    "MP04": "Contanti presso Tesoreria",
    "MP05": "Bonifico",
    "MP06": "Vaglia cambiario",
    "MP07": "Bollettino bancario",
    "MP08": "Carta di pagamento",
    "MP09": "RID",
    "MP10": "RID utenze",
    "MP11": "RID veloce",
    "MP12": "RIBA",
    "MP13": "MAV",
    "MP14": "Quietanza erario",
    "MP15": "Giroconto su conti di contabilità speciale",
    "MP16": "Domiciliazione bancaria",
    "MP17": "Domiciliazione postale",
    "MP18": "Bollettino di c/c postale",
    "MP19": "SEPA Direct Debit",
    "MP20": "SEPA Direct Debit CORE",
    "MP21": "SEPA Direct Debit B2B",
    "MP22": "Trattenuta su somme già riscosse",
    "MP23": "PagoPA",
}

PAYMENT_CONDITIONS = {
    "TP01": "Pagamento a rate",
    "TP02": "Pagamento completo",
    "TP03": "Anticipo",
}

WITHHOLDING_TYPES = {
    "RT01": "Ritenuta persone fisiche",
    "RT02": "Ritenuta persone giuridiche",
    "RT03": "Contributo INPS",
    "RT04": "Contributo ENASARCO",
    "RT05": "Contributo ENPAM",
    "RT06": "Altro contributo previdenziale",
}

PENSION_FUND_TYPES = {
    "TC01": "Cassa nazionale previdenza e assistenza avvocati e procuratori legali",
    "TC02": "Cassa previdenza dottori commercialisti",
    "TC03": "Cassa previdenza e assistenza geometri",
    "TC04": (
        "Cassa nazionale previdenza e assistenza ingegneri e architetti liberi " "professionisti"
    ),
    "TC05": "Cassa nazionale del notariato",
    "TC06": "Cassa nazionale previdenza e assistenza ragionieri e periti commerciali",
    "TC07": "Ente nazionale assistenza agenti e rappresentanti di commercio (ENASARCO)",
    "TC08": "Ente nazionale previdenza e assistenza consulenti del lavoro (ENPACL)",
    "TC09": "Ente nazionale previdenza e assistenza medici (ENPAM)",
    "TC10": "Ente nazionale previdenza e assistenza farmacisti (ENPAF)",
    "TC11": "Ente nazionale previdenza e assistenza veterinari (ENPAV)",
    "TC12": ("Ente nazionale previdenza e assistenza impiegati dell'agricoltura (ENPAIA)"),
    "TC13": "Fondo previdenza impiegati imprese di spedizione e agenzie marittime",
    "TC14": "Istituto nazionale previdenza giornalisti italiani (INPGI)",
    "TC15": "Opera nazionale assistenza orfani sanitari italiani (ONAOSI)",
    "TC16": "Cassa autonoma assistenza integrativa giornalisti italiani (CASAGIT)",
    "TC17": "Ente previdenza periti industriali e periti industriali laureati (EPPI)",
    "TC18": "Ente previdenza e assistenza pluricategoriale (EPAP)",
    "TC19": "Ente nazionale previdenza e assistenza biologi (ENPAB)",
    "TC20": ("Ente nazionale previdenza e assistenza professione infermieristica (ENPAPI)"),
    "TC21": "Ente nazionale previdenza e assistenza psicologi (ENPAP)",
    "TC22": "INPS",
}

VAT_DUE = {
    "I": "IVA ad esigibilità immediata",
    "D": "IVA ad esigibilità differita",
    "S": "Scissione dei pagamenti (split payment)",
}

# CausalePagamento of DatiRitenuta: the reasons of the CU / 770 model.
WITHHOLDING_REASONS = {
    "A": "Prestazioni di lavoro autonomo rientranti nell'esercizio di arte o professione "
    "abituale",
    "B": "Utilizzazione economica, da parte dell'autore o dell'inventore, di opere "
    "dell'ingegno, di brevetti industriali e di processi, formule o informazioni",
    "C": "Utili derivanti da contratti di associazione in partecipazione e di cointeressenza, "
    "quando l'apporto è costituito esclusivamente dalla prestazione di lavoro",
    "D": "Utili spettanti ai soci promotori e ai soci fondatori delle società di capitali",
    "E": "Levata di protesti cambiari da parte dei segretari comunali",
    "G": "Indennità corrisposte per la cessazione di attività sportiva professionale",
    "H": "Indennità corrisposte per la cessazione dei rapporti di agenzia",
    "I": "Indennità corrisposte per la cessazione da funzioni notarili",
    "L": "Utilizzazione economica, da parte di soggetto diverso dall'autore o "
    "dall'inventore, di opere dell'ingegno, di brevetti industriali e di processi, formule "
    "e informazioni",
    "L1": "Redditi derivanti dall'utilizzazione economica di opere dell'ingegno, di "
    "brevetti industriali e di processi, percepiti dagli aventi causa a titolo gratuito",
    "M": "Prestazioni di lavoro autonomo non esercitate abitualmente",
    "M1": "Redditi derivanti dall'assunzione di obblighi di fare, di non fare o permettere",
    "M2": "Prestazioni di lavoro autonomo non esercitate abitualmente con obbligo di "
    "iscrizione alla Gestione Separata ENPAPI",
    "N": "Indennità di trasferta, rimborso forfetario di spese, premi e compensi erogati "
    "nell'esercizio diretto di attività sportive dilettantistiche",
    "O": "Prestazioni di lavoro autonomo non esercitate abitualmente, senza obbligo di "
    "iscrizione alla gestione separata (Circ. INPS 104/2001)",
    "O1": "Redditi derivanti dall'assunzione di obblighi di fare, di non fare o permettere, "
    "senza obbligo di iscrizione alla gestione separata (Circ. INPS 104/2001)",
    "P": "Compensi corrisposti a soggetti non residenti privi di stabile organizzazione per "
    "l'uso o la concessione in uso di attrezzature industriali, commerciali o scientifiche",
    "Q": "Provvigioni corrisposte ad agente o rappresentante di commercio monomandatario",
    "R": "Provvigioni corrisposte ad agente o rappresentante di commercio plurimandatario",
    "S": "Provvigioni corrisposte a commissionario",
    "T": "Provvigioni corrisposte a mediatore",
    "U": "Provvigioni corrisposte a procacciatore di affari",
    "V": "Provvigioni corrisposte a incaricato per le vendite a domicilio o per la vendita "
    "porta a porta",
    "V1": "Redditi derivanti da attività commerciali non esercitate abitualmente",
    "V2": "Redditi derivanti dalle prestazioni non esercitate abitualmente rese dagli "
    "incaricati alla vendita diretta a domicilio",
    "W": "Corrispettivi per prestazioni relative a contratti d'appalto (art. 25-ter DPR " "600/73)",
    "X": "Canoni corrisposti nel 2004 da società o enti residenti o da stabili "
    "organizzazioni di società estere (art. 26-quater DPR 600/73)",
    "Y": "Canoni corrisposti dal 1° gennaio al 26 luglio 2005 da società o enti residenti "
    "o da stabili organizzazioni di società estere (art. 26-quater DPR 600/73)",
    "Z": "Titolo diverso dai precedenti (codice non più valido)",
    "ZO": "Titolo diverso dai precedenti",
}

# TipoCessionePrestazione of a line.
LINE_KINDS = {
    "SC": "Sconto",
    "PR": "Premio",
    "AB": "Abbuono",
    "AC": "Spesa accessoria",
}

# ScontoMaggiorazione/Tipo.
DISCOUNT_TYPES = {
    "SC": "Sconto",
    "MG": "Maggiorazione",
}

# SoggettoEmittente: who issued the document when not the seller.
ISSUERS = {
    "CC": "Cessionario / committente",
    "TZ": "Terzo",
}

# IscrizioneREA/SocioUnico and StatoLiquidazione.
SHAREHOLDERS = {
    "SU": "Socio unico",
    "SM": "Più soci",
}
LIQUIDATION_STATES = {
    "LS": "In liquidazione",
    "LN": "Non in liquidazione",
}

# FormatoTrasmissione of DatiTrasmissione.
TRANSMISSION_FORMATS = {
    "FPA12": "Fattura verso PA",
    "FPR12": "Fattura verso privati",
    "FSM10": "Fattura semplificata",
    "SDI11": "Fattura verso PA (formato 1.1)",
    "SDI10": "Fattura verso PA (formato 1.0)",
}

# The root's versione attribute: the formats of schema 1.2.x and the
# legacy 1.0 / 1.1 files.
VERSIONS = {
    "FPA12": "Fattura verso PA",
    "FPR12": "Fattura verso privati",
    "FSM10": "Fattura semplificata",
    "1.1": "Fattura (formato 1.1)",
    "1.0": "Fattura (formato 1.0)",
}

# Which table each coded field is checked against (field label -> table).
TABLES = {
    "TipoDocumento": DOCUMENT_TYPES,
    "Natura": VAT_NATURES,
    "RegimeFiscale": TAX_REGIMES,
    "ModalitaPagamento": PAYMENT_METHODS,
    "CondizioniPagamento": PAYMENT_CONDITIONS,
    "TipoRitenuta": WITHHOLDING_TYPES,
    "TipoCassa": PENSION_FUND_TYPES,
    "EsigibilitaIVA": VAT_DUE,
    "versione": VERSIONS,
    # Tables only the readable view uses (the reader's checks do not look
    # codes up in them: an unknown one is no warning).
    "CausalePagamento": WITHHOLDING_REASONS,
    "TipoCessionePrestazione": LINE_KINDS,
    "ScontoMaggiorazione": DISCOUNT_TYPES,
    "SoggettoEmittente": ISSUERS,
    "SocioUnico": SHAREHOLDERS,
    "StatoLiquidazione": LIQUIDATION_STATES,
    "FormatoTrasmissione": TRANSMISSION_FORMATS,
}


def describe(table, code):
    """The Italian description of ``code`` in ``table`` (a dict above or the
    field label of ``TABLES``), or None when unknown."""
    if isinstance(table, str):
        table = TABLES[table]
    return table.get((code or "").strip())
