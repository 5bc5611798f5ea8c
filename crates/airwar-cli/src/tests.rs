//! Checks of the command line's definition itself.

use clap::CommandFactory;

use super::Cli;

/// Every option and argument of every subcommand, with the path of subcommands to it.
fn every_arg(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Arg)>) {
    for a in cmd.get_arguments() {
        out.push((path.to_string(), a.clone()));
    }
    for sub in cmd.get_subcommands() {
        every_arg(sub, &format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_option_and_argument_has_a_description() {
    let cmd = Cli::command().build_for_test();
    let mut args = Vec::new();
    every_arg(&cmd, "airwar", &mut args);
    assert!(args.len() > 50, "the walk found the subcommands' arguments");
    let bare: Vec<String> = args
        .iter()
        // clap's own --help and --version carry their own descriptions.
        .filter(|(_, a)| a.get_help().is_none_or(|h| h.to_string().trim().is_empty()))
        .map(|(path, a)| format!("{path} {}", a.get_id()))
        .collect();
    assert!(bare.is_empty(), "arguments without a description: {bare:?}");
    for sub in cmd.get_subcommands() {
        assert!(
            sub.get_about().is_some(),
            "`{}` has no description",
            sub.get_name()
        );
    }
}

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

trait BuildForTest {
    fn build_for_test(self) -> clap::Command;
}

impl BuildForTest for clap::Command {
    fn build_for_test(mut self) -> clap::Command {
        // Building adds clap's own --help and --version to every subcommand.
        self.build();
        self
    }
}
