using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Binds an options class to its configuration section and checks it when the host starts
/// (<c>ValidateOnStart</c>): every data-annotation attribute and <see cref="IValidatableObject"/> rule
/// of the class. A failure reads <c>Section:Member message</c>, e.g. "Accounts:PowDifficulty must be
/// between 0 and 32.", so the operator sees which key to fix; the value itself is not repeated.
/// </summary>
public static class SectionValidation
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it at start.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The server is not trimmed; options types are referenced directly.")]
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The server is not trimmed.")]
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }
            // A rule about one member reads "Section:Member message"; a rule without members names its keys itself.
            return ValidateOptionsResult.Fail(results.Select(r => r.MemberNames.Any()
                ? section + ":" + string.Join(", ", r.MemberNames) + " " + r.ErrorMessage
                : r.ErrorMessage ?? section + " is invalid."));
        }
    }
}
