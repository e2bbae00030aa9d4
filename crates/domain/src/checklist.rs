//! The public "which service do I need?" checklist: a few yes / no / "I do not know" questions a
//! parent answers without signing in, and the rules that turn the answers into a suggestion
//! (supported contact, supervised contact, or "talk to us") with the reasons for it.
//!
//! Each question asks about exactly one of the staff triage concerns (`triage::Concern`), so the
//! concerns a parent answers "yes" to can later seed a coordinator's risk assessment unchanged.
//! Nothing here is stored: the answers arrive in a GET query and leave in the page.

use crate::triage::Concern;
use std::collections::BTreeMap;

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Yes,
    No,
    NotSure,
}

impl Answer {
    /// In the order the radios are shown.
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::NotSure];

    /// The value a radio sends.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotSure => "not-sure",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::No => "No",
            Answer::NotSure => "I do not know",
        }
    }

    /// A submitted value; anything else (junk, an old link) is `None`, i.e. not answered.
    pub fn parse(value: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == value.trim())
    }
}

/// One question of the checklist.
#[derive(Debug)]
pub struct Question {
    /// The form field's name, also the id of the group's first radio (the error summary links there).
    pub field: &'static str,
    /// The triage concern a "yes" means.
    pub concern: Concern,
    /// The question, in plain words (the fieldset's legend).
    pub text: &'static str,
    /// Help beside the question; empty for none.
    pub hint: &'static str,
    /// Why a "yes" matters, said back to the parent.
    pub yes_reason: &'static str,
    /// What the question is about, for "You did not know …".
    pub topic: &'static str,
    /// Shown when the question was not answered.
    pub missing: &'static str,
}

/// The questions, in the order they are asked: the court order first because it decides on its own.
pub const QUESTIONS: [Question; 10] = [
    Question {
        field: "court-order",
        concern: Concern::CourtRequiresSupervision,
        text: "Does a court order say that contact must be supervised?",
        hint: "This would be written in the child arrangements order or another order from the family court.",
        yes_reason: "A court order says contact must be supervised, so the centre must follow it.",
        topic: "whether a court order says contact must be supervised",
        missing: "Select whether a court order says contact must be supervised",
    },
    Question {
        field: "abuse",
        concern: Concern::DomesticAbuse,
        text: "Has there been domestic abuse between the adults?",
        hint: "This includes an injunction, a non-molestation order, or police or criminal court involvement.",
        yes_reason: "There has been domestic abuse between the adults.",
        topic: "whether there has been domestic abuse",
        missing: "Select whether there has been domestic abuse between the adults",
    },
    Question {
        field: "harm",
        concern: Concern::RiskOfHarm,
        text: "Is there a worry that the child could be harmed, or is a social worker involved with the family now?",
        hint: "For example, the child has a child protection plan.",
        yes_reason: "There is a worry about harm to the child, or social care is involved now.",
        topic: "whether there is a risk of harm or social care involvement",
        missing: "Select whether there is a worry about harm or a social worker involved",
    },
    Question {
        field: "allegations",
        concern: Concern::PendingAllegations,
        text: "Are the police or social services still looking into something that has been said?",
        hint: "An allegation that has not been decided yet.",
        yes_reason: "Allegations are still being looked into.",
        topic: "whether allegations are still being looked into",
        missing: "Select whether allegations are still being looked into",
    },
    Question {
        field: "abduction",
        concern: Concern::Abduction,
        text: "Is there a worry that the child could be taken away and not brought back?",
        hint: "For example, taken to another country.",
        yes_reason: "There is a worry that the child could be taken. Supported centres cannot take families where \
                     this is a risk.",
        topic: "whether the child could be taken away",
        missing: "Select whether there is a worry that the child could be taken away",
    },
    Question {
        field: "drugs-alcohol",
        concern: Concern::Substances,
        text: "Is there a worry about drug or alcohol use by the adult who will see the child?",
        hint: "",
        yes_reason: "There is a worry about drug or alcohol use.",
        topic: "whether there is a worry about drugs or alcohol",
        missing: "Select whether there is a worry about drug or alcohol use",
    },
    Question {
        field: "mental-health",
        concern: Concern::MentalHealth,
        text: "Is there a worry that an adult's mental health affects how they look after the child?",
        hint: "",
        yes_reason: "There is a worry that mental health affects how the child is looked after.",
        topic: "whether mental health affects looking after the child",
        missing: "Select whether there is a worry about mental health",
    },
    Question {
        field: "care",
        concern: Concern::ParentingCapacity,
        text: "Is there a worry about whether the adult who will see the child can look after them safely?",
        hint: "For example, feeding, changing or keeping a young child safe.",
        yes_reason: "There is a worry about whether the child can be looked after safely.",
        topic: "whether the child can be looked after safely",
        missing: "Select whether there is a worry about looking after the child safely",
    },
    Question {
        field: "long-gap",
        concern: Concern::LongGap,
        text: "Has it been a long time since the child saw this adult, or does the child not know them?",
        hint: "",
        yes_reason: "It has been a long time since the child saw this adult, or the child does not know them.",
        topic: "whether it has been a long time, or the child does not know the adult",
        missing: "Select whether it has been a long time since the child saw this adult",
    },
    Question {
        field: "conflict",
        concern: Concern::Hostility,
        text: "Is there a lot of anger or conflict between the adults?",
        hint: "",
        yes_reason: "There is a lot of anger or conflict between the adults.",
        topic: "whether there is a lot of anger or conflict",
        missing: "Select whether there is a lot of anger or conflict between the adults",
    },
];

/// The question about a concern.
pub fn question_for(concern: Concern) -> &'static Question {
    // Every concern has a question (tested below), so the fallback is never reached; it avoids a panic.
    QUESTIONS.iter().find(|q| q.concern == concern).unwrap_or(&QUESTIONS[0])
}

/// The answers given so far, by concern. Unknown fields and junk values are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    given: BTreeMap<Concern, Answer>,
}

impl Answers {
    pub fn new() -> Answers {
        Answers::default()
    }

    /// Reads submitted `name=value` pairs leniently. A field sent twice with different answers can
    /// only come from a hand-made link, so it counts as unanswered rather than guessing.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Answers {
        let mut given = BTreeMap::new();
        let mut conflicting = Vec::new();
        for (name, value) in pairs {
            let Some(question) = QUESTIONS.iter().find(|q| q.field == name.as_ref()) else {
                continue;
            };
            match Answer::parse(value.as_ref()) {
                Some(answer) => {
                    if let Some(earlier) = given.insert(question.concern, answer)
                        && earlier != answer
                    {
                        conflicting.push(question.concern);
                    }
                }
                None => conflicting.push(question.concern),
            }
        }
        for concern in conflicting {
            given.remove(&concern);
        }
        Answers { given }
    }

    pub fn set(&mut self, concern: Concern, answer: Answer) {
        self.given.insert(concern, answer);
    }

    pub fn get(&self, concern: Concern) -> Option<Answer> {
        self.given.get(&concern).copied()
    }

    /// Whether the question with this field was answered with this value (for re-ticking a radio;
    /// by names and values because that is what a template has in hand).
    pub fn is(&self, field: &str, value: &str) -> bool {
        QUESTIONS
            .iter()
            .find(|q| q.field == field)
            .is_some_and(|q| self.get(q.concern).map(Answer::as_str) == Some(value))
    }

    /// The questions not (validly) answered, in question order.
    pub fn unanswered(&self) -> Vec<&'static Question> {
        QUESTIONS.iter().filter(|q| self.get(q.concern).is_none()).collect()
    }

    /// The answers as `name=value` pairs in question order, for a "change your answers" link.
    pub fn pairs(&self) -> Vec<(&'static str, &'static str)> {
        QUESTIONS
            .iter()
            .filter_map(|q| self.get(q.concern).map(|a| (q.field, a.as_str())))
            .collect()
    }
}

/// What the checklist suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recommendation {
    Supported,
    Supervised,
    TalkToUs,
}

impl Recommendation {
    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::Supported => "supported",
            Recommendation::Supervised => "supervised",
            Recommendation::TalkToUs => "talk-to-us",
        }
    }

    /// The answer page's heading.
    pub fn heading(self) -> &'static str {
        match self {
            Recommendation::Supported => "Supported contact may suit your family",
            Recommendation::Supervised => "Supervised contact is likely to be needed",
            Recommendation::TalkToUs => "Talk to us before you choose",
        }
    }
}

/// The suggestion and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub recommendation: Recommendation,
    /// The concerns answered "yes", in question order: what a staff risk assessment would start from.
    pub concerns: Vec<Concern>,
    /// The concerns answered "I do not know" (or not answered), in question order.
    pub unsure: Vec<Concern>,
    /// The reasons, in plain words, most decisive first.
    pub reasons: Vec<String>,
}

/// The rules (DOMAIN.md, "Triage"):
/// - every concern on the list pushes towards supervised contact, so any "yes" → supervised; a court
///   order requiring supervision and a risk of abduction are named first because each decides alone
///   (supported centres will not take an abduction risk);
/// - more than one concern → supervised, at least for the first sessions (said as a reason);
/// - no "yes" but some "I do not know" → talk to us, naming what was unsure;
/// - "no" to everything → supported.
///
/// A question not answered counts as "I do not know", the safe reading; the page asks for every
/// answer before it calls this.
pub fn recommend(answers: &Answers) -> Outcome {
    let concerns: Vec<Concern> = QUESTIONS
        .iter()
        .filter(|q| answers.get(q.concern) == Some(Answer::Yes))
        .map(|q| q.concern)
        .collect();
    let unsure: Vec<Concern> = QUESTIONS
        .iter()
        .filter(|q| matches!(answers.get(q.concern), None | Some(Answer::NotSure)))
        .map(|q| q.concern)
        .collect();

    if concerns.is_empty() && unsure.is_empty() {
        return Outcome {
            recommendation: Recommendation::Supported,
            concerns,
            unsure,
            reasons: vec![
                "You answered no to every question, so none of the worries that need supervision applies.".to_owned(),
                "Supported contact is for families where the risk is low: the parents do not have to meet, and \
                 staff or volunteers are in the room."
                    .to_owned(),
            ],
        };
    }

    if concerns.is_empty() {
        let mut reasons: Vec<String> = unsure
            .iter()
            .map(|c| format!("You did not know {}.", question_for(*c).topic))
            .collect();
        reasons.push(
            "These answers decide between supported and supervised contact, so it is best to talk them through \
             with the centre before you choose."
                .to_owned(),
        );
        return Outcome {
            recommendation: Recommendation::TalkToUs,
            concerns,
            unsure,
            reasons,
        };
    }

    // The deciding concerns first, then the rest in question order (QUESTIONS already puts the court
    // order first; abduction is moved up beside it).
    let mut ordered = concerns.clone();
    ordered.sort_by_key(|c| match c {
        Concern::CourtRequiresSupervision => 0,
        Concern::Abduction => 1,
        _ => 2,
    });
    let mut reasons: Vec<String> = ordered.iter().map(|c| question_for(*c).yes_reason.to_owned()).collect();
    if concerns.len() > 1 {
        reasons.push(format!(
            "You answered yes to {} questions. When there is more than one worry, contact is supervised, at least \
             for the first sessions.",
            concerns.len()
        ));
    } else if !matches!(concerns[0], Concern::CourtRequiresSupervision | Concern::Abduction) {
        reasons.push(
            "A worry like this usually means supervised contact, at least to begin with. The centre makes the \
             decision after talking to each adult."
                .to_owned(),
        );
    }
    if !unsure.is_empty() {
        reasons.push(format!(
            "You did not know the answer to {} {}. The centre will ask about {} too.",
            unsure.len(),
            if unsure.len() == 1 { "question" } else { "questions" },
            if unsure.len() == 1 { "it" } else { "them" },
        ));
    }
    Outcome {
        recommendation: Recommendation::Supervised,
        concerns,
        unsure,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Concern::*;

    /// Every question answered `rest`, except the ones given.
    fn answers(rest: Answer, given: &[(Concern, Answer)]) -> Answers {
        let mut a = Answers::new();
        for q in &QUESTIONS {
            a.set(q.concern, rest);
        }
        for (c, answer) in given {
            a.set(*c, *answer);
        }
        a
    }

    #[test]
    fn every_concern_has_exactly_one_question_with_a_distinct_field() {
        for c in Concern::ALL {
            assert_eq!(QUESTIONS.iter().filter(|q| q.concern == c).count(), 1, "{c:?}");
            assert_eq!(question_for(c).concern, c);
        }
        for (i, q) in QUESTIONS.iter().enumerate() {
            assert!(QUESTIONS[i + 1..].iter().all(|o| o.field != q.field), "{}", q.field);
            // The field is also an HTML id and a URL query name: keep it plain.
            assert!(
                q.field.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                q.field
            );
            assert!(q.text.ends_with('?') && q.missing.starts_with("Select whether"));
        }
    }

    #[test]
    fn no_to_everything_is_supported() {
        let o = recommend(&answers(Answer::No, &[]));
        assert_eq!(o.recommendation, Recommendation::Supported);
        assert!(o.concerns.is_empty() && o.unsure.is_empty());
        assert!(o.reasons[0].contains("no to every question"));
    }

    #[test]
    fn a_court_order_requiring_supervision_is_supervised_and_said_first() {
        let o = recommend(&answers(
            Answer::No,
            &[(Hostility, Answer::Yes), (CourtRequiresSupervision, Answer::Yes)],
        ));
        assert_eq!(o.recommendation, Recommendation::Supervised);
        assert!(o.reasons[0].contains("court order"), "{:?}", o.reasons);
    }

    #[test]
    fn a_court_order_alone_is_supervised_even_with_unsure_answers() {
        let o = recommend(&answers(Answer::NotSure, &[(CourtRequiresSupervision, Answer::Yes)]));
        assert_eq!(o.recommendation, Recommendation::Supervised);
        assert_eq!(o.concerns, vec![CourtRequiresSupervision]);
        assert_eq!(o.unsure.len(), 9);
        assert!(o.reasons.last().is_some_and(|r| r.contains("9 questions")));
    }

    #[test]
    fn abduction_risk_is_never_supported() {
        let o = recommend(&answers(Answer::No, &[(Abduction, Answer::Yes)]));
        assert_eq!(o.recommendation, Recommendation::Supervised);
        assert!(o.reasons[0].contains("Supported centres cannot take"));
        let o = recommend(&answers(
            Answer::No,
            &[(LongGap, Answer::Yes), (Abduction, Answer::Yes)],
        ));
        assert!(
            o.reasons[0].contains("taken"),
            "abduction is named before the rest: {:?}",
            o.reasons
        );
    }

    #[test]
    fn each_concern_on_its_own_is_supervised_with_its_reason() {
        for q in &QUESTIONS {
            let o = recommend(&answers(Answer::No, &[(q.concern, Answer::Yes)]));
            assert_eq!(o.recommendation, Recommendation::Supervised, "{}", q.field);
            assert_eq!(o.concerns, vec![q.concern]);
            assert_eq!(o.reasons[0], q.yes_reason);
        }
    }

    #[test]
    fn more_than_one_concern_is_supervised_and_says_so() {
        let o = recommend(&answers(
            Answer::No,
            &[(Substances, Answer::Yes), (MentalHealth, Answer::Yes)],
        ));
        assert_eq!(o.recommendation, Recommendation::Supervised);
        assert_eq!(o.concerns, vec![Substances, MentalHealth], "question order");
        assert!(o.reasons.iter().any(|r| r.contains("yes to 2 questions")));
    }

    #[test]
    fn unsure_without_a_definite_concern_is_talk_to_us_naming_what_was_unsure() {
        let o = recommend(&answers(Answer::No, &[(DomesticAbuse, Answer::NotSure)]));
        assert_eq!(o.recommendation, Recommendation::TalkToUs);
        assert_eq!(o.unsure, vec![DomesticAbuse]);
        assert!(o.reasons[0].contains("whether there has been domestic abuse"));
    }

    #[test]
    fn unsure_with_a_definite_concern_is_supervised() {
        let o = recommend(&answers(
            Answer::No,
            &[(DomesticAbuse, Answer::NotSure), (Hostility, Answer::Yes)],
        ));
        assert_eq!(o.recommendation, Recommendation::Supervised);
        assert!(o.reasons.iter().any(|r| r.contains("1 question")));
    }

    #[test]
    fn an_unanswered_question_counts_as_not_known() {
        let mut a = answers(Answer::No, &[]);
        a.given.remove(&LongGap);
        assert_eq!(recommend(&a).recommendation, Recommendation::TalkToUs);
        assert_eq!(recommend(&Answers::new()).recommendation, Recommendation::TalkToUs);
    }

    /// Every possible set of answers (3^10): supported exactly when every answer is no, supervised
    /// exactly when one is yes, and there is always a reason.
    #[test]
    fn every_combination_follows_the_rules() {
        let n = QUESTIONS.len() as u32;
        for mut code in 0..3u32.pow(n) {
            let mut a = Answers::new();
            for q in &QUESTIONS {
                a.set(q.concern, Answer::ALL[(code % 3) as usize]);
                code /= 3;
            }
            let o = recommend(&a);
            let any_yes = QUESTIONS.iter().any(|q| a.get(q.concern) == Some(Answer::Yes));
            let all_no = QUESTIONS.iter().all(|q| a.get(q.concern) == Some(Answer::No));
            let expected = if any_yes {
                Recommendation::Supervised
            } else if all_no {
                Recommendation::Supported
            } else {
                Recommendation::TalkToUs
            };
            assert_eq!(o.recommendation, expected);
            assert!(!o.reasons.is_empty());
            assert!(o.concerns.len() + o.unsure.len() <= QUESTIONS.len());
        }
    }

    #[test]
    fn reading_answers_is_lenient() {
        let a = Answers::from_pairs([
            ("court-order", "yes"),
            ("abuse", " no "),
            ("harm", "not-sure"),
            ("allegations", "maybe"),
            ("abduction", "yes"),
            ("abduction", "no"),
            ("conflict", "no"),
            ("conflict", "no"),
            ("nonsense", "yes"),
            ("", ""),
        ]);
        assert_eq!(a.get(CourtRequiresSupervision), Some(Answer::Yes));
        assert_eq!(a.get(DomesticAbuse), Some(Answer::No));
        assert_eq!(a.get(RiskOfHarm), Some(Answer::NotSure));
        assert_eq!(a.get(PendingAllegations), None, "junk is not an answer");
        assert_eq!(a.get(Abduction), None, "two different answers are not an answer");
        assert_eq!(a.get(Hostility), Some(Answer::No), "the same answer twice is fine");
        let unanswered: Vec<&str> = a.unanswered().iter().map(|q| q.field).collect();
        assert_eq!(
            unanswered,
            [
                "allegations",
                "abduction",
                "drugs-alcohol",
                "mental-health",
                "care",
                "long-gap"
            ]
        );
        assert!(a.is("court-order", "yes") && !a.is("court-order", "no"));
        assert!(!a.is("nonsense", "yes") && !a.is("allegations", "maybe"));
    }

    #[test]
    fn answers_round_trip_through_pairs() {
        let a = answers(Answer::NotSure, &[(Hostility, Answer::Yes), (LongGap, Answer::No)]);
        assert_eq!(Answers::from_pairs(a.pairs()), a);
        for answer in Answer::ALL {
            assert_eq!(Answer::parse(answer.as_str()), Some(answer));
        }
    }
}
