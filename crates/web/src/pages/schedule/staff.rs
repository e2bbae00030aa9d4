//! The staff roster, a staff member's profile (qualifications, DBS check, weekly hours) and leave.

use super::{may_manage, short_day, weekday_name};
use crate::pages::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::schedule::{self as app, StaffInput};
use familytime_domain::people::Role;
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::StaffProfile;

fn role_label(role: &str) -> String {
    Role::parse(role).map_or_else(|_| role.replace('_', " "), |r| r.label().to_owned())
}

pub struct StaffRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub qualified: bool,
    pub qualifications: String,
    pub dbs: String,
    pub hours: Vec<String>,
    pub leave: Vec<String>,
}

fn staff_row(p: &StaffProfile) -> StaffRow {
    StaffRow {
        id: p.user_id.to_string(),
        name: p.name.clone(),
        role: role_label(&p.role),
        qualified: p.qualified_supervised,
        qualifications: p.qualifications.clone(),
        dbs: p.dbs_checked_on.map_or_else(|| "Not recorded".into(), short_day),
        hours: p
            .availability
            .iter()
            .map(|(day, from, to)| {
                let day = familytime_store::schedule::weekday_from(i64::from(*day)).map_or("?", weekday_name);
                format!("{day} {}–{}", from.strftime("%H:%M"), to.strftime("%H:%M"))
            })
            .collect(),
        leave: p
            .leave
            .iter()
            .map(|(first, last)| {
                if first == last {
                    short_day(*first)
                } else {
                    format!("{} to {}", short_day(*first), short_day(*last))
                }
            })
            .collect(),
    }
}

#[derive(askama::Template)]
#[template(path = "schedule_staff.html")]
struct StaffPage {
    shell: Shell,
    staff: Vec<StaffRow>,
    can_manage: bool,
}

/// GET /staff: the roster.
pub async fn roster(State(state): State<AppState>, caller: Caller) -> PageResult {
    let staff = app::staff(&state, &caller).await?;
    Ok(render(&StaffPage {
        shell: Shell::for_caller(&state, &caller, "/today").await?,
        staff: staff.iter().map(staff_row).collect(),
        can_manage: may_manage(&caller),
    }))
}

#[derive(askama::Template)]
#[template(path = "schedule_staff_member.html")]
struct StaffMemberPage {
    shell: Shell,
    errors: FieldErrors,
    person: StaffRow,
    can_manage: bool,
    qualified: bool,
    qualifications: String,
    dbs_checked_on: String,
    hours: String,
    /// The profile's version the form was opened at.
    version: i64,
    first_day: String,
    last_day: String,
}

async fn staff_member_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    typed: Option<&FormData>,
    leave: Option<&FormData>,
    status: Option<StatusCode>,
) -> PageResult {
    let staff = app::staff(state, caller).await?;
    let profile = staff
        .iter()
        .find(|p| p.user_id.to_string() == id.trim())
        .ok_or(AppError::NotFound)?;
    let status = status.unwrap_or_else(|| form_status(&errors));
    let stored_hours: Vec<String> = profile
        .availability
        .iter()
        .map(|(d, from, to)| format!("{d} {}-{}", from.strftime("%H:%M"), to.strftime("%H:%M")))
        .collect();
    let page = StaffMemberPage {
        shell: Shell::for_caller(state, caller, "/today").await?,
        errors,
        person: staff_row(profile),
        can_manage: may_manage(caller),
        qualified: typed.map_or(profile.qualified_supervised, |f| f.checked("qualified_supervised")),
        qualifications: typed.map_or_else(|| profile.qualifications.clone(), |f| f.get("qualifications")),
        dbs_checked_on: typed.map_or_else(
            || profile.dbs_checked_on.map(|d| d.to_string()).unwrap_or_default(),
            |f| f.get("dbs_checked_on"),
        ),
        hours: typed.map_or_else(|| stored_hours.join("\n"), |f| f.get("hours")),
        version: typed.map_or(profile.version, FormData::version),
        first_day: leave.map(|f| f.get("first_day")).unwrap_or_default(),
        last_day: leave.map(|f| f.get("last_day")).unwrap_or_default(),
    };
    Ok(render_with(status, &page))
}

/// GET /staff/{id}
pub async fn staff_member(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    staff_member_page(&state, &caller, &id, FieldErrors::new(), None, None, None).await
}

/// POST /staff/{id}
pub async fn save_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = StaffInput {
        qualified_supervised: form.checked("qualified_supervised"),
        qualifications: form.get("qualifications"),
        dbs_checked_on: form.get("dbs_checked_on"),
        hours: form.get("hours"),
        version: form.version(),
    };
    match app::save_staff(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to("/staff").into_response()),
        Err(AppError::Invalid(errors)) => {
            staff_member_page(&state, &caller, &id, errors, Some(&form), None, None).await
        }
        // Someone saved the profile since this form was opened: nothing is overwritten; the page
        // shows the profile as it is now (with its new version) so the change can be made again.
        Err(err @ AppError::Stale) => {
            let errors = FieldErrors::single(
                "qualifications",
                format!("{} The details below are as they are now.", err.message()),
            );
            staff_member_page(&state, &caller, &id, errors, None, None, Some(StatusCode::CONFLICT)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /staff/{id}/leave
pub async fn add_leave(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::add_leave(&state, &caller, &id, &form.get("first_day"), &form.get("last_day")).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            staff_member_page(&state, &caller, &id, errors, None, Some(&form), None).await
        }
        Err(other) => Err(other.into()),
    }
}
