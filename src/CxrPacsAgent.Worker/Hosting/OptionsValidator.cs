using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Runs <see cref="IValidatedOptions.Validate"/> for the options system (checked at start-up).</summary>
public sealed class OptionsValidator<T> : IValidateOptions<T>
    where T : class, IValidatedOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
