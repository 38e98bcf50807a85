using System.CommandLine;
using CxrPacsAgent.Worker.Admin;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent hash-password</c>: reads a password and prints its hash for <c>Admin:PasswordHash</c>. At a terminal it
/// asks twice without echoing; otherwise it reads the first line of standard input (for scripts).
/// </summary>
internal static class HashPasswordCommand
{
    /// <summary>Shorter passwords are refused: the admin page can retry and cancel deliveries.</summary>
    public const int MinimumLength = 12;

    public static Command Create()
    {
        var command = new Command("hash-password", "Print the hash of a password for Admin:PasswordHash (the admin page's sign-in)");
        command.SetAction(_ =>
        {
            string? password;
            if (Console.IsInputRedirected)
            {
                password = Console.In.ReadLine();
            }
            else
            {
                password = Prompt("Password: ");
                if (!string.Equals(password, Prompt("Again: "), StringComparison.Ordinal))
                {
                    Console.Error.WriteLine("error: the two passwords differ");
                    return CliErrors.InvalidInput;
                }
            }
            if (password is null || password.Length < MinimumLength)
            {
                Console.Error.WriteLine($"error: the password must have at least {MinimumLength} characters");
                return CliErrors.InvalidInput;
            }
            Console.Out.WriteLine(AdminPassword.Hash(password));
            return 0;
        });
        return command;
    }

    private static string Prompt(string text)
    {
        Console.Error.Write(text);
        var typed = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return typed.ToString();
    }
}
