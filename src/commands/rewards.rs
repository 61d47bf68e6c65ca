//! `/rewards add|list|remove`: roles a server gives its players for all-time points,
//! set by its managers. The core gives them at the reveal that reaches the threshold.

use super::{
    Args, Body, CommandSpec, Ctx, Failure, OptionSpec, Request, RoleRef, RoleStanding,
    SubcommandSpec, UserError,
};
use crate::permissions::Permissions;
use crate::reply::{Reply, Text, Tone};

/// Most rewards a server may have: each reveal checks them all.
const REWARDS_MAX: usize = 25;

/// Highest threshold `/rewards add` takes.
const POINTS_MAX: i64 = 10_000_000;

/// How `/rewards add` is typed, for messages that point to it.
const ADD_EXAMPLE: &str = "/rewards add role:@Regular points:1000";

/// How a server lets the bot give roles: the invite asks for no role permission.
const HOW_TO_ALLOW: &str = "In Server Settings → Roles, open the feudbot role, turn on \
    **Manage Roles**, and drag the feudbot role above every role it should give.";

/// `/rewards add|list|remove`.
pub const REWARDS: CommandSpec = CommandSpec {
    name: "rewards",
    description: "Roles players earn when their all-time points in this server reach a threshold",
    body: Body::Subcommands(&[
        SubcommandSpec {
            name: "add",
            description: "Give a role to every player who reaches this many all-time points",
            options: &[
                OptionSpec::role("role", "The role to give", "@Regular").required(),
                OptionSpec::integer(
                    "points",
                    "All-time points in this server that earn the role",
                    "1000",
                    1,
                    POINTS_MAX,
                )
                .required(),
            ],
            handler: add,
        },
        SubcommandSpec {
            name: "list",
            description: "The roles this server gives, and the points that earn each",
            options: &[],
            handler: list,
        },
        SubcommandSpec {
            name: "remove",
            description: "Stop giving a role (members who have it keep it)",
            options: &[OptionSpec::role("role", "The role to stop giving", "@Regular").required()],
            handler: remove,
        },
    ]),
    press: None,
    permissions: Some(Permissions::MANAGE_GUILD),
    guild_only: true,
    rules: "A player gets the role at the reveal of the answer that brings their all-time \
        points in this server to the threshold, and the reveal says so; players already past \
        it get it at their next answer. The bot needs **Manage Roles**, and the role must be \
        below the bot's highest role; `/rewards add` checks both. A role Discord refuses is \
        tried again at the player's next reveal.",
};

/// Whether the bot can give `role`; if not, exactly what is missing and how to fix it.
fn check_role(role: &RoleRef) -> Result<(), UserError> {
    let (bot_permissions, above_bot) = match role.standing {
        RoleStanding::Assignable {
            bot_permissions,
            above_bot,
        } => (bot_permissions, above_bot),
        RoleStanding::Managed => {
            return Err(UserError::new(Text::new().role(role.id).plain(
                " is not a role anyone can give: it is everyone's, or an integration \
                     manages it (a bot's own role, the Server Booster role). Pick a role you \
                     made.",
            )));
        }
        RoleStanding::Unknown => {
            return Err(UserError::new(
                "I could not read this server's roles just now, so nothing was changed. Try \
                 again in a minute.",
            ));
        }
    };
    let missing = bot_permissions.missing(Permissions::MANAGE_ROLES);
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(Text::from(&format!(
            "I'm missing {} in this server.",
            missing.names()
        )));
    }
    if let Some(highest) = above_bot {
        problems.push(
            Text::new()
                .role(role.id)
                .plain(" is not below my highest role, ")
                .role(highest)
                .plain("."),
        );
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut text = Text::from("I can't give ").role(role.id).plain(": ");
    for problem in problems {
        text = text.append(problem).plain(" ");
    }
    Err(UserError::new(text.plain(HOW_TO_ALLOW)))
}

fn add(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let role = args
        .role("role")
        .ok_or_else(|| UserError::new(format!("Pick a role, e.g. `{ADD_EXAMPLE}`")))?;
    let points = args
        .integer("points")
        .and_then(|points| u64::try_from(points).ok())
        .ok_or_else(|| UserError::new(format!("Give the points, e.g. `{ADD_EXAMPLE}`")))?;
    check_role(&role)?;
    Ok(Request::store(move |store, _| async move {
        let rewards = store.rewards();
        let current = rewards.list(guild_id).await?;
        if current.len() >= REWARDS_MAX && !current.iter().any(|r| r.role_id == role.id) {
            return Err(Failure::User(UserError::new(format!(
                "This server already gives {REWARDS_MAX} roles, the most it can. Remove one \
                 first with `/rewards remove`."
            ))));
        }
        let before = rewards.add(guild_id, role.id, points).await?;
        let mut text = Text::from("Players whose all-time points in this server reach ")
            .plain(&format!("**{points}** get "))
            .role(role.id)
            .plain(
                " at the reveal of the answer that gets them there; players already past it \
                 get it at their next answer.",
            );
        if let Some(before) = before.filter(|before| *before != points) {
            text = text.plain(&format!(" (It was {before} points.)"));
        }
        Ok(Reply::new(Tone::Info, "Role reward set")
            .text(text)
            .footer("/rewards list shows every reward · /rewards remove stops one")
            .into())
    }))
}

fn list(ctx: &mut Ctx, _: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    Ok(Request::store(move |store, _| async move {
        let rewards = store.rewards().list(guild_id).await?;
        let reply = Reply::new(Tone::Info, "Role rewards");
        if rewards.is_empty() {
            return Ok(reply
                .text(format!(
                    "This server gives no roles for points yet. Add one with `{ADD_EXAMPLE}`."
                ))
                .into());
        }
        let mut lines = Text::new();
        for (i, reward) in rewards.iter().enumerate() {
            if i > 0 {
                lines = lines.plain("\n");
            }
            lines = lines
                .plain(&format!("**{}** points → ", reward.points))
                .role(reward.role_id);
        }
        Ok(reply
            .text(lines)
            .field("Giving roles", HOW_TO_ALLOW, false)
            .footer("Counted from each player's all-time points in this server")
            .into())
    }))
}

fn remove(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let role = args.role("role").ok_or_else(|| {
        UserError::new("Pick the role to stop giving, e.g. `/rewards remove role:@Regular`")
    })?;
    Ok(Request::store(move |store, _| async move {
        if !store.rewards().remove(guild_id, role.id).await? {
            return Err(Failure::User(UserError::new(
                Text::new()
                    .role(role.id)
                    .plain(" is not a reward in this server. `/rewards list` shows them."),
            )));
        }
        Ok(Reply::new(Tone::Info, "Role reward removed")
            .text(
                Text::new()
                    .role(role.id)
                    .plain(" is no longer given for points. Members who have it keep it."),
            )
            .into())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(standing: RoleStanding) -> RoleRef {
        RoleRef { id: 7, standing }
    }

    #[test]
    fn names_exactly_what_keeps_the_bot_from_giving_a_role() {
        let allowed = role(RoleStanding::Assignable {
            bot_permissions: Permissions::MANAGE_ROLES,
            above_bot: None,
        });
        assert_eq!(check_role(&allowed), Ok(()));
        let admin = role(RoleStanding::Assignable {
            bot_permissions: Permissions::ADMINISTRATOR,
            above_bot: None,
        });
        assert_eq!(check_role(&admin), Ok(()));

        let no_permission = role(RoleStanding::Assignable {
            bot_permissions: Permissions::BOT,
            above_bot: None,
        });
        let said = check_role(&no_permission).unwrap_err().0.to_string();
        assert!(
            said.starts_with("I can't give @&7: I'm missing **Manage Roles** in this server. In")
        );
        assert!(!said.contains("highest"), "{said}");

        let too_high = role(RoleStanding::Assignable {
            bot_permissions: Permissions::MANAGE_ROLES,
            above_bot: Some(9),
        });
        let said = check_role(&too_high).unwrap_err().0.to_string();
        assert!(said.starts_with("I can't give @&7: @&7 is not below my highest role, @&9. In"));
        assert!(!said.contains("missing"), "{said}");

        let both = role(RoleStanding::Assignable {
            bot_permissions: Permissions::empty(),
            above_bot: Some(9),
        });
        let said = check_role(&both).unwrap_err().0.to_string();
        assert!(said.contains("**Manage Roles**") && said.contains("highest role, @&9"));

        let managed = check_role(&role(RoleStanding::Managed)).unwrap_err();
        assert!(managed.0.to_string().contains("integration"));
    }
}
