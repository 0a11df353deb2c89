"""The words of the demo product (Pocket Bank, a mobile banking app), kept apart from the logic.

Story titles are composed per epic as *action* + *object* + *qualifier*; every action reads
with every object and every qualifier, so that even 100,000 generated stories sound like a
real backlog. Bug titles are *screen* + *problem*, chore titles *chore action* + *component*,
spike titles "Investigate" + *topic*.
"""

from __future__ import annotations

from dataclasses import dataclass

PRODUCT_NAME = "Pocket Bank"
KEY_PREFIX = "PAY"

VISION: dict[str, str] = {
    "vision_target_group": (
        "Adults aged 18 to 40 in Germany and Austria who manage their money on their phone and "
        "find traditional banks slow and confusing. Many are students, young professionals and "
        "people sharing a flat, who pay friends back often and rarely visit a branch. A second "
        "group is parents who want to give their teenagers a card they can keep an eye on."
    ),
    "vision_needs": (
        "They want to see their balance and every payment instantly, pay friends back in "
        "seconds and stay in control when a card goes missing. They need to understand where "
        "their money goes without keeping spreadsheets, and they want saving to happen without "
        "willpower. Above all they need to trust that the app keeps their money safe."
    ),
    "vision_product": (
        "Pocket Bank is a mobile-first current account with a free debit card, instant "
        "payments between friends, bill splitting, savings pots with round-ups and real-time "
        "notifications. Everything a branch could do happens in the app in a few taps, and "
        "safety features such as freezing a card are always one tap away. It stands out "
        "through speed, clarity and an honest, friendly tone."
    ),
    "vision_business_goals": (
        "Reach 500,000 active customers within two years and become the main account of at "
        "least 30% of them. Earn revenue from card interchange, premium plans and savings "
        "products while keeping support costs below €2 per customer a month. Be known as the "
        "bank that is easiest to use."
    ),
}

DONE_CRITERIA: tuple[str, ...] = (
    "Code reviewed and approved by at least one other developer",
    "Unit and UI tests pass in CI on iOS and Android",
    "Acceptance criteria verified by the Product Owner on a test device",
    "Works with VoiceOver and TalkBack and with large text sizes",
    "Texts available in English and German",
    "No new findings in the security scan; release notes updated",
)

#: Product goals: title, description, status; the first two are being worked on.
GOALS: tuple[tuple[str, str, str], ...] = (
    (
        "Make everyday money between friends effortless",
        "By the end of the year, 40% of monthly active customers send, request or split money "
        "with a friend at least once a month. Fast sign-up, payments between friends and bill "
        "splitting are the way there.",
        "active",
    ),
    (
        "Customers feel in full control of their cards and account",
        "Customers solve card and security problems in the app instead of calling support: "
        "card-related calls fall by half, and every payment is visible within seconds.",
        "active",
    ),
    (
        "Help customers build a savings habit",
        "A quarter of customers keep at least one savings pot with a regular rule, and every "
        "customer can see where their money went each month.",
        "proposed",
    ),
)


@dataclass(frozen=True, slots=True)
class EpicText:
    """Everything the generator says about one epic and the items below it.

    Attributes:
        name: the epic's title.
        label: the label every item of the epic carries.
        goal: index into :data:`GOALS`.
        weight: how many of the stories belong here, relative to the other epics.
        value: the epic's business value.
        description: the epic's description.
        personas: who a story is for, with its article ("a cardholder").
        benefits: "so that …" endings.
        actions: story title openings; each reads with every object.
        objects: what the actions act on.
        qualifiers: title endings; "" leaves the title as action + object.
        criteria: acceptance criteria specific to the epic.
        screens: the screens that bug titles name.
        spikes: investigation topics.
        components: the technical parts that chores work on.
    """

    name: str
    label: str
    goal: int
    weight: int
    value: int
    description: str
    personas: tuple[str, ...]
    benefits: tuple[str, ...]
    actions: tuple[str, ...]
    objects: tuple[str, ...]
    qualifiers: tuple[str, ...]
    criteria: tuple[str, ...]
    screens: tuple[str, ...]
    spikes: tuple[str, ...]
    components: tuple[str, ...]


PAYMENTS = EpicText(
    name="Peer-to-peer payments",
    label="payments",
    goal=0,
    weight=18,
    value=20,
    description=(
        "Let customers send and request money from friends in seconds, by phone number, QR "
        "code or link, with instant settlement between Pocket Bank accounts and SEPA Instant "
        "to everyone else."
    ),
    personas=("a customer", "a student sharing a flat", "a parent with teenage children"),
    benefits=(
        "I can settle up with friends without asking for their bank details",
        "paying someone back takes seconds instead of minutes",
        "I never have to carry cash",
        "I can see at once that the money has arrived",
        "I am sure I am paying the right person",
    ),
    actions=(
        "Send money to",
        "Request money from",
        "Pay back",
        "Schedule a payment to",
        "Send a birthday gift to",
        "Set up a monthly transfer to",
        "Repeat the last payment to",
        "Send a payment reminder to",
    ),
    objects=(
        "a friend",
        "a contact",
        "a new payee",
        "a flatmate",
        "a family member",
        "a colleague",
        "someone without Pocket Bank",
        "a saved payee",
    ),
    qualifiers=(
        "",
        "by scanning their QR code",
        "using their phone number",
        "from my contacts",
        "with a note and an emoji",
        "from the home screen",
        "in one tap from recent payees",
        "with a payment link",
        "without typing their IBAN",
        "using Siri or Google Assistant",
        "from my smartwatch",
    ),
    criteria=(
        "The recipient's name and photo are shown before the payment is confirmed",
        "Payments to another Pocket Bank account arrive within 5 seconds",
        "Payments above €1,000 ask for Face ID or the passcode again",
        "The payment appears in the activity list of both sender and recipient",
        "A payee who is not on Pocket Bank gets an SMS with a claim link valid for 7 days",
        "The daily limit of €5,000 for payments to friends is enforced",
        "The user can add a note of up to 140 characters",
        "If the balance is too low, the app says so and offers a top-up",
    ),
    screens=("Send money screen", "Payment confirmation screen", "Recent payees list"),
    spikes=(
        "SEPA Instant providers for payments to other banks",
        "matching phone numbers to accounts without uploading the address book",
        "payment links that open the app on iOS and Android",
        "fraud scoring for first payments to new payees",
    ),
    components=("the payments service", "the payee lookup API", "the transfer limits"),
)

CARDS = EpicText(
    name="Card controls",
    label="cards",
    goal=1,
    weight=15,
    value=18,
    description=(
        "Put customers in control of their debit and virtual cards: freezing, limits, online "
        "and foreign payments, PIN and replacements, all without calling support."
    ),
    personas=("a cardholder", "a frequent traveller", "a parent who shares a card with a teenager"),
    benefits=(
        "a lost card cannot be misused while I look for it",
        "I do not have to call the support hotline",
        "I stay within my budget",
        "I feel safe paying online",
        "I can keep using my card abroad without surprises",
    ),
    actions=(
        "Freeze",
        "Unfreeze",
        "Set a spending limit on",
        "Turn off online payments on",
        "Turn off contactless payments on",
        "Block cash withdrawals on",
        "Order a replacement for",
        "Show the PIN of",
        "Turn on payments abroad for",
    ),
    objects=(
        "my debit card",
        "a lost card",
        "a virtual card",
        "my child's card",
        "a single-use card",
        "my main card",
        "a card I rarely use",
        "a new card",
    ),
    qualifiers=(
        "",
        "from the app",
        "in one tap",
        "from the lock screen widget",
        "while travelling abroad",
        "from the card details screen",
        "with Face ID confirmation",
        "without calling support",
        "from a home screen shortcut",
        "for a chosen period",
    ),
    criteria=(
        "A frozen card declines every payment within 10 seconds",
        "The card image shows a frost overlay while the card is frozen",
        "Unfreezing asks for Face ID or the passcode",
        "The change is confirmed with a push notification",
        "Subscriptions keep working if the user chooses so",
        "The card processor confirms the change before the app shows success",
        "The PIN is shown for 10 seconds and never stored on the device",
        "The new setting shows in the card details straight away",
    ),
    screens=("Card details screen", "Card settings", "Spending limit slider"),
    spikes=(
        "the card processor's API for real-time card controls",
        "adding virtual cards to Apple Pay and Google Pay",
        "how other banks show the PIN securely in their apps",
        "blocking gambling payments by merchant category",
    ),
    components=("the card processor integration", "the card controls service", "card tokenisation"),
)

ONBOARDING = EpicText(
    name="Onboarding & KYC",
    label="onboarding",
    goal=0,
    weight=12,
    value=19,
    description=(
        "Get new customers from download to a verified, funded account in under ten minutes, "
        "with the identity checks our banking licence requires."
    ),
    personas=(
        "a new customer",
        "a student opening a first account",
        "a customer moving from another bank",
    ),
    benefits=(
        "I can start using my account the same day",
        "I do not have to visit a branch",
        "I understand what happens with my personal data",
        "I do not get stuck halfway through sign-up",
        "my direct debits move over without effort",
    ),
    actions=(
        "Verify my identity with",
        "Sign up with",
        "Prove my address with",
        "Retry a failed identity check with",
        "Open a joint account with",
        "Upgrade to a premium account with",
        "Confirm my details with",
    ),
    objects=(
        "my passport",
        "my national ID card",
        "my residence permit",
        "a video call with an agent",
        "the NFC chip in my ID",
        "my login from another bank",
        "a photo of a utility bill",
        "a selfie video",
    ),
    qualifiers=(
        "",
        "in under five minutes",
        "without leaving the app",
        "on a slow mobile connection",
        "in German or English",
        "on a tablet",
        "after closing the app halfway",
        "with step-by-step guidance",
        "at night or at the weekend",
        "on an older phone",
    ),
    criteria=(
        "The user sees how many steps are left at every point",
        "Progress is saved, so sign-up continues after the app was closed",
        "Blurry photos are rejected with a hint on how to retake them",
        "90% of customers see the verification result within 2 minutes",
        "Personal data goes only over the encrypted connection to the KYC provider",
        "People under 18 are told politely that they cannot open an account yet",
        "A rejected verification explains the next step and offers the support chat",
        "The IBAN is shown as soon as verification succeeds",
    ),
    screens=("ID scan step", "Selfie step", "Address form"),
    spikes=(
        "KYC providers that read the NFC chip of ID cards",
        "why customers drop off at the selfie step",
        "video identification rules for customers in Germany",
        "account switching services that move direct debits",
    ),
    components=("the KYC provider integration", "the sign-up flow", "the customer data store"),
)

SAVINGS = EpicText(
    name="Savings pots",
    label="savings",
    goal=2,
    weight=12,
    value=14,
    description=(
        "Let customers set money aside in named pots with targets, round-ups and automatic "
        "rules, so that saving happens without thinking about it."
    ),
    personas=("a saver", "a young professional saving for a flat", "a parent saving for holidays"),
    benefits=(
        "I reach my savings target without thinking about it",
        "I can see how close I am to my goal",
        "money for bills stays apart from spending money",
        "saving feels rewarding",
        "I do not spend money that is meant for later",
    ),
    actions=(
        "Create",
        "Rename",
        "Set a target for",
        "Round up card payments into",
        "Move money into",
        "Withdraw money from",
        "Lock",
        "Share",
        "Add a cover picture to",
        "Close",
    ),
    objects=(
        "a savings pot",
        "a holiday pot",
        "a rainy-day pot",
        "a shared pot",
        "a pot for bills",
        "my emergency fund",
        "a pot for a new phone",
        "a gift pot",
    ),
    qualifiers=(
        "",
        "from the home screen",
        "in one tap",
        "from the pots overview",
        "on payday",
        "with Face ID confirmation",
        "from a push notification",
        "on my smartwatch",
        "from the savings tab",
        "in the web app",
    ),
    criteria=(
        "Money in a pot is never shown as spendable balance",
        "Round-ups are moved once a day and listed in the pot's activity",
        "A target shows a progress ring and the date it will likely be reached",
        "Moving money between the account and a pot is instant and free",
        "A customer can have up to 20 pots at the same time",
        "Closing a pot moves its balance back to the main account",
        "A locked pot cannot be emptied before its unlock date",
        "Interest earned is shown per pot each month",
    ),
    screens=("Pots overview", "Pot details screen", "Round-up settings"),
    spikes=(
        "interest per pot with the core banking system",
        "how round-ups behave for refunds and chargebacks",
        "savings nudges that do not feel pushy",
        "the rules for savings that are locked for a fixed term",
    ),
    components=("the pots service", "the round-up batch job", "the interest calculation"),
)

SPLITTING = EpicText(
    name="Bill splitting",
    label="splitting",
    goal=0,
    weight=10,
    value=15,
    description=(
        "Split restaurant bills, rent and trips with friends: pick a card payment, choose who "
        "was there, and let Pocket Bank collect the money."
    ),
    personas=("a customer who often eats out with friends", "a flat-sharer", "a trip organiser"),
    benefits=(
        "nobody has to keep track of who owes what",
        "I get my money back without awkward reminders",
        "shared costs stay fair",
        "I can see at a glance who has paid",
        "organising a trip does not cost me money",
    ),
    actions=(
        "Split",
        "Share the cost of",
        "Request equal shares of",
        "Request custom amounts for",
        "Track who has paid for",
        "Send reminders about",
        "Attach a receipt photo to",
        "Cancel the split of",
    ),
    objects=(
        "a restaurant bill",
        "the rent",
        "a card payment",
        "a group trip",
        "the electricity bill",
        "a taxi ride",
        "concert tickets",
        "the weekly groceries",
    ),
    qualifiers=(
        "",
        "with friends on Pocket Bank",
        "with people outside Pocket Bank",
        "from the transaction details",
        "in a group",
        "by percentage",
        "right after paying",
        "with a payment link",
        "from the activity list",
        "among flatmates",
    ),
    criteria=(
        "Each participant receives a request with their share and a link to pay",
        "The split shows who has paid and who has not",
        "Shares are rounded so that they add up exactly to the total",
        "The organiser can send a reminder at most once a day",
        "Paid shares are linked back to the original transaction",
        "A split can include up to 20 people",
        "Participants without the app can pay by card through the payment link",
        "The organiser is notified when everyone has paid",
    ),
    screens=("Split bill screen", "Group overview", "Participant picker"),
    spikes=(
        "linking shares back to the original card payment",
        "group balances across several splits",
        "receipt scanning to split per item",
    ),
    components=("the split requests service", "the group ledger", "the payment link generator"),
)

NOTIFICATIONS = EpicText(
    name="Notifications",
    label="notifications",
    goal=1,
    weight=10,
    value=12,
    description=(
        "Tell customers what happens on their account the moment it happens, and nothing "
        "more: card payments, incoming money, low balance and security alerts."
    ),
    personas=("a customer", "a cautious customer who checks every payment", "a busy parent"),
    benefits=(
        "I notice fraud straight away",
        "a low balance does not take me by surprise",
        "I only get messages that matter to me",
        "I know when my salary has arrived",
        "I do not have to open the app to check my account",
    ),
    actions=(
        "Get notified about",
        "Mute notifications for",
        "Choose the alert sound for",
        "See a daily summary of",
        "Turn on email alerts for",
        "Get a weekly digest of",
        "Snooze alerts about",
        "Add a widget showing",
    ),
    objects=(
        "card payments",
        "incoming transfers",
        "a low balance",
        "failed direct debits",
        "salary payments",
        "new login attempts",
        "subscription renewals",
        "large withdrawals",
    ),
    qualifiers=(
        "",
        "on the lock screen",
        "on my smartwatch",
        "within seconds",
        "while abroad",
        "at night",
        "above an amount I choose",
        "in my language",
        "with the merchant's logo",
        "for each card separately",
    ),
    criteria=(
        "The notification arrives within 5 seconds of the card payment",
        "It shows the amount, the merchant and the remaining balance",
        "Tapping the notification opens the matching transaction",
        "The setting can be changed in Settings ▸ Notifications",
        "No account details show on the lock screen when previews are hidden",
        "Quiet hours from 22:00 to 07:00 are respected except for security alerts",
        "More than three notifications within a minute are grouped",
        "Push tokens are removed when the user logs out",
    ),
    screens=("Notification settings", "Push notification preview", "Activity feed"),
    spikes=(
        "moving from polling to a push gateway",
        "rich notifications with merchant logos",
        "how many notifications customers accept per day",
    ),
    components=("the push gateway", "the notification preferences", "the alert rules engine"),
)

SECURITY = EpicText(
    name="Security & login",
    label="security",
    goal=1,
    weight=12,
    value=17,
    description=(
        "Keep accounts safe without getting in the way: biometric login, strong customer "
        "authentication, device management and clear fraud warnings."
    ),
    personas=("a customer", "a customer with an older phone", "a security-minded customer"),
    benefits=(
        "nobody else can get into my account",
        "logging in takes a second",
        "I know which devices can access my account",
        "I can act fast if something looks wrong",
        "strong authentication does not slow me down",
    ),
    actions=(
        "Log in with",
        "Approve online payments with",
        "Unlock the app with",
        "Confirm a new device with",
        "Reset my passcode with",
        "Authorise a large transfer with",
        "Sign a direct debit mandate with",
        "Re-authenticate with",
    ),
    objects=(
        "Face ID",
        "a fingerprint",
        "a six-digit passcode",
        "a one-time code by SMS",
        "a hardware security key",
        "the app on my old phone",
        "a push approval",
        "a recovery code",
    ),
    qualifiers=(
        "",
        "in under a second",
        "when my phone is offline",
        "after a failed attempt",
        "on a new phone",
        "while abroad",
        "after an app update",
        "from a second device",
        "on a tablet",
        "after a passcode change",
    ),
    criteria=(
        "After five wrong attempts the app locks for 30 minutes",
        "Biometric data never leaves the device",
        "The session ends after 5 minutes in the background",
        "A new device is confirmed from an existing device or by video call",
        "Every login is listed with device, place and time",
        "Strong customer authentication meets the PSD2 rules",
        "The passcode cannot be a simple sequence such as 123456",
        "Security alerts are sent even when other notifications are muted",
    ),
    screens=("Login screen", "Passcode screen", "Devices list"),
    spikes=(
        "passkeys for the web login",
        "device binding with app attestation",
        "detecting screen-sharing scams during a payment",
        "risk-based authentication for small payments",
    ),
    components=("the authentication service", "the device registry", "session handling"),
)

INSIGHTS = EpicText(
    name="Statements & insights",
    label="insights",
    goal=2,
    weight=11,
    value=11,
    description=(
        "Show customers where their money goes: spending by category, monthly statements, "
        "exports for the tax return and a forecast for the rest of the month."
    ),
    personas=(
        "a customer",
        "a freelancer who files a tax return",
        "a student on a tight budget",
    ),
    benefits=(
        "I understand where my money goes",
        "my tax adviser gets the documents they need",
        "I can plan the rest of the month",
        "I spot subscriptions I forgot about",
        "I do not need a separate budgeting app",
    ),
    actions=("See", "Export", "Download", "Search", "Filter", "Compare", "Share", "Print"),
    objects=(
        "my monthly statement",
        "spending by category",
        "my card transactions",
        "income and outgoings",
        "my subscriptions",
        "a yearly tax summary",
        "my cash withdrawals",
        "payments to one merchant",
    ),
    qualifiers=(
        "",
        "as a PDF",
        "as a CSV file",
        "for the last 12 months",
        "for a custom date range",
        "by month",
        "with merchant logos",
        "in the web app",
        "as a chart",
        "for my tax adviser",
    ),
    criteria=(
        "Statements list every booked transaction of the period with a running balance",
        "Exports open correctly in Excel and Numbers",
        "A changed category also applies to similar transactions",
        "VoiceOver reads the chart as a list of values",
        "Amounts use the customer's locale for decimals and currency",
        "PDF statements carry the bank's legal footer and the IBAN",
        "Search finds merchants by part of their name within 1 second",
        "Up to 10 years of data can be exported",
    ),
    screens=("Statements screen", "Spending chart", "Export dialog"),
    spikes=(
        "transaction categorisation with merchant data providers",
        "generating PDF statements on the server or on the device",
        "a forecast of the month-end balance",
    ),
    components=("the statements generator", "the categorisation service", "the search index"),
)

EPICS: tuple[EpicText, ...] = (
    PAYMENTS,
    CARDS,
    ONBOARDING,
    SAVINGS,
    SPLITTING,
    NOTIFICATIONS,
    SECURITY,
    INSIGHTS,
)

#: The sprints, oldest first: the goal, and the epic (index into EPICS) most of the work is for.
SPRINT_GOALS: tuple[tuple[str, int], ...] = (
    ("New customers can open and verify an account in under ten minutes", 2),
    ("Send money to a friend using only their phone number", 0),
    ("Customers can freeze and unfreeze a lost card themselves", 1),
    ("Log in with Face ID or a fingerprint and see every signed-in device", 6),
    ("Split a card payment with friends and see who has paid", 4),
    ("A push notification for every card payment within five seconds", 5),
    ("Create a savings pot and round up card payments into it", 3),
)

GENERIC_CRITERIA: tuple[str, ...] = (
    "Works with VoiceOver and TalkBack",
    "All texts are available in English and German",
    "When the phone is offline, a clear message lets the user try again",
    "The screen loads in under 2 seconds on a 4G connection",
    "The action is tracked in product analytics without personal data",
    "Looks right in light and dark mode",
    "Large text sizes do not cut off any content",
)

BUG_PROBLEMS: tuple[str, ...] = (
    "crashes when the phone is rotated",
    "freezes after the app returns from the background",
    "shows the old balance after pull to refresh",
    "cuts off long names in German",
    "ignores the dark mode setting",
    "shows amounts without the currency sign",
    "keeps spinning when the connection drops",
    "reads the buttons in the wrong order with VoiceOver",
    "shows the wrong date for payments made just after midnight",
    "does not scale with large text sizes",
    "logs the user out unexpectedly",
    "stays blank on Android 12",
)

BUG_REPORTERS: tuple[str, ...] = (
    "a customer in the support chat",
    "the QA team",
    "an App Store review",
    "the support team",
    "a colleague during the bug bash",
)

BUG_DEVICES: tuple[str, ...] = (
    "an iPhone 13 with iOS 17",
    "a Samsung Galaxy A52 with Android 13",
    "a Pixel 7 with Android 14",
    "an iPhone SE with iOS 16",
    "an iPad Air with iPadOS 17",
)

BUG_CRITERIA: tuple[str, ...] = (
    "The problem no longer occurs on the reported device",
    "An automated test covers the scenario",
    "The fix is verified on the oldest supported iOS and Android versions",
    "The crash no longer shows in the crash reports after the release",
    "Support knows which app version contains the fix",
)

SPIKE_CRITERIA: tuple[str, ...] = (
    "A one-page recommendation is shared with the team",
    "The options are compared on cost, effort and risk",
    "Open questions are listed, each with an owner",
    "Follow-up stories are in the backlog",
    "A prototype shows that the recommended option works",
)

CHORE_ACTIONS: tuple[str, ...] = (
    "Upgrade the dependencies of",
    "Add monitoring and alerts to",
    "Remove old feature flags from",
    "Write a runbook for",
    "Add contract tests for",
    "Improve the logging of",
)

CHORE_CRITERIA: tuple[str, ...] = (
    "The change is deployed to staging and production",
    "Dashboards and alerts are updated",
    "The team's documentation reflects the change",
    "Customers notice no change",
    "The build still takes under 15 minutes",
)

BLOCKED_NOTES: tuple[str, ...] = (
    "Waiting for the card processor's sandbox credentials",
    "Needs sign-off from Compliance",
    "Blocked by the core banking API upgrade",
    "Waiting for the final designs from UX",
    "Legal is reviewing the wording",
    "Depends on the new push gateway going live",
    "Waiting for the KYC provider's contract amendment",
)

EXTRA_LABELS: tuple[str, ...] = (
    "mobile",
    "ios",
    "android",
    "backend",
    "ux",
    "accessibility",
    "compliance",
)

#: Who asks the team questions, by role (the role is what a question template names).
TEAM: dict[str, tuple[str, ...]] = {
    "dev": ("Ana (dev)", "Dimitri (dev)", "Emma (dev)", "Jonas (dev)"),
    "qa": ("Ben (QA)", "Fatma (QA)"),
    "ux": ("Chloé (UX)", "Lukas (UX)"),
}

#: Team questions that fit any story: the asker's role, the question, the Product Owner's answer.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "ux",
        "Which error message do we show when the bank is offline?",
        "“We can't reach the bank right now. Your money is safe, please try again in a "
        "minute.” It is in the copy deck.",
    ),
    (
        "dev",
        "Does this need to work on iOS 15, or only on the versions we support from May?",
        "Only iOS 16 and later; the minimum version goes up with the May release.",
    ),
    (
        "qa",
        "Which test accounts can we use on staging for this?",
        "The three shared test customers in the QA vault; ask Ben for a fourth if needed.",
    ),
    (
        "dev",
        "Is there a feature flag, or does it go live for everyone at once?",
        "Behind a flag: 5% of customers first, everyone a week later if the crash rate holds.",
    ),
    (
        "ux",
        "Are the German texts final, or do we use the English ones for now?",
        "Final German texts come from the copywriter by Thursday; use the English ones until then.",
    ),
    (
        "dev",
        "Should the amount use the customer's locale or always the euro format?",
        "Always euros, formatted for the phone's language (1.234,50 € in German).",
    ),
    (
        "qa",
        "What should happen if the customer closes the app halfway through?",
        "Nothing is sent; next time they start again from the first step.",
    ),
    (
        "dev",
        "Do we need to keep an audit log entry for this?",
        "Yes, Compliance wants who, what and when for every change, kept for ten years.",
    ),
    (
        "ux",
        "Is there a design for the empty state?",
        "Not yet; reuse the illustration from the savings empty state with a new line of text.",
    ),
    (
        "dev",
        "Which analytics events do we track here?",
        "Screen opened, action completed and action abandoned; no amounts, no names.",
    ),
    (
        "qa",
        "Do we test this with VoiceOver and TalkBack, or is one of them enough?",
        "Both: the Definition of Done asks for both screen readers.",
    ),
    (
        "dev",
        "Can this wait for the new core banking API, or do we build it on the old one?",
        "Build it on the old API; the migration is planned for the autumn.",
    ),
    (
        "ux",
        "Do we show a confirmation screen or only a toast afterwards?",
        "A toast with Undo is enough below €100; a confirmation screen above that.",
    ),
    (
        "dev",
        "Is there a limit per day, and who decides its value?",
        "Risk decides; start with €1,000 a day and read it from the remote config.",
    ),
    (
        "qa",
        "Which Android devices are a must for testing this?",
        "The top five from the analytics dashboard; the Galaxy A52 is the most used.",
    ),
    (
        "dev",
        "Should this also work in the web banking, or only in the app?",
        "Only in the app for now; the web banking follows next quarter.",
    ),
    (
        "ux",
        "How do we explain this to customers the first time they see it?",
        "One tooltip on first use, and a short article in the help centre.",
    ),
    (
        "dev",
        "What happens to customers who have not updated the app yet?",
        "They keep the old behaviour; the server must accept both versions for three months.",
    ),
    (
        "qa",
        "Is it fine if this takes a few seconds on a slow connection?",
        "Up to 2 seconds on 4G; beyond that show a progress indicator.",
    ),
    (
        "dev",
        "Do we send a push notification as well, or only show it in the app?",
        "Only in the app; notifications get their own story in the Notifications epic.",
    ),
    (
        "ux",
        "Does this need a dark mode variant of the illustration?",
        "Yes, the illustrator delivers both variants with the final designs.",
    ),
    (
        "dev",
        "Who needs to approve the legal wording on this screen?",
        "Legal approves it; the text is already in their review queue.",
    ),
    (
        "qa",
        "Which time zone counts when a payment happens around midnight?",
        "Always Europe/Berlin, whatever the phone is set to.",
    ),
    (
        "dev",
        "Do we need to support customers with two accounts here?",
        "Yes, let them choose the account; the main account is preselected.",
    ),
    (
        "ux",
        "Is the entry point on the home screen or in the menu?",
        "On the home screen for now; we move it if it clutters the first screen.",
    ),
    (
        "dev",
        "Can we reuse the component from the savings pots, or is this a new design?",
        "Reuse it; UX only changes the colours.",
    ),
    (
        "qa",
        "What is the expected behaviour when the customer is blocked by Risk?",
        "Show the generic “not possible right now” message and a link to the support chat.",
    ),
    (
        "dev",
        "Do support agents need to see this in their back office?",
        "Yes, read-only, in the customer timeline; a separate story covers it.",
    ),
    (
        "ux",
        "Does this story include the tablet layout?",
        "No, the phone layout only; tablets show the phone layout centred.",
    ),
    (
        "qa",
        "Which acceptance criterion do we check first if we run out of time?",
        "The happy path in English; German texts and large fonts follow in the same sprint.",
    ),
)

#: Questions that only fit one epic's stories, by the epic's label.
EPIC_QUESTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "payments": (
        (
            "dev",
            "Do payments to other banks go by SEPA Instant, or is a normal transfer fine?",
            "SEPA Instant where the other bank supports it, a normal transfer otherwise.",
        ),
        (
            "qa",
            "What do we show when the payee's name does not match the IBAN?",
            "The name check result with a warning; the customer can still confirm.",
        ),
    ),
    "cards": (
        (
            "dev",
            "Does the card processor confirm a freeze at once, or asynchronously?",
            "Asynchronously, usually within a second; show “freezing…” until it confirms.",
        ),
        (
            "ux",
            "Should a frozen card look different in the card carousel?",
            "Yes, greyed out with a snowflake badge, as in the latest designs.",
        ),
    ),
    "onboarding": (
        (
            "dev",
            "Which identity provider handles this step, IDnow or our own flow?",
            "IDnow for video calls, our own flow for the NFC chip.",
        ),
        (
            "qa",
            "What happens to an application that is abandoned halfway?",
            "It is kept for 30 days, then deleted together with the uploaded documents.",
        ),
    ),
    "savings": (
        (
            "dev",
            "Do round-ups run per payment or once a day?",
            "Once a day at 23:00, summed up, so the customer sees one movement.",
        ),
        (
            "ux",
            "How many pots can a customer have at most?",
            "Ten for now; the limit is in the remote config.",
        ),
    ),
    "splitting": (
        (
            "dev",
            "Can people without Pocket Bank be part of a split?",
            "Yes, they get a payment link; they just cannot see the split in an app.",
        ),
        (
            "qa",
            "How do we round when the bill does not split evenly?",
            "The person who created the split pays the extra cent.",
        ),
    ),
    "notifications": (
        (
            "dev",
            "Do we send this through the new push gateway or the old one?",
            "The new gateway; it is live on Android and comes to iOS next sprint.",
        ),
        (
            "ux",
            "Can customers switch this notification off on its own?",
            "Yes, every kind of notification has its own switch in the settings.",
        ),
    ),
    "security": (
        (
            "dev",
            "What happens after five wrong passcodes in a row?",
            "The app locks for 15 minutes, then asks for the login from scratch.",
        ),
        (
            "qa",
            "Do we need to test this on rooted and jailbroken phones?",
            "Yes, the app must refuse to sign in there; we have two test phones.",
        ),
    ),
    "insights": (
        (
            "dev",
            "How far back does the history go: 12 months or everything?",
            "24 months in the app; older statements are available as PDF.",
        ),
        (
            "ux",
            "Who chooses the spending categories, we or the customer?",
            "We categorise automatically, and the customer can change a category.",
        ),
    ),
}
