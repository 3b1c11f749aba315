using System.ComponentModel.DataAnnotations;
using Parley.Server.Hosting;
using Parley.Crypto.Auth;

namespace Parley.Server.Accounts;

/// <summary>Who may register.</summary>
public enum RegistrationPolicy
{
    /// <summary>Anyone who solves the proof of work (default).</summary>
    Open,

    /// <summary>Only with an invite code from <c>parley-server invites create</c>.</summary>
    Invite,

    /// <summary>Only the administrator, with <c>parley-server users add NAME</c>.</summary>
    Closed,
}

/// <summary>Configuration section <c>Accounts</c>. Every limit is named here with its default.</summary>
public sealed class AccountOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Accounts";

    /// <summary>Registration policy; default open.</summary>
    public RegistrationPolicy RegistrationPolicy { get; set; } = RegistrationPolicy.Open;

    /// <summary>Lowest Argon2id memory (KiB) a registration may use; default 64 MiB. Tests lower it explicitly.</summary>
    [Range(8, 4 * 1024 * 1024, ErrorMessage = OptionRules.Between)]
    public int MinArgon2MemoryKiB { get; set; } = Argon2Parameters.Default.MemoryKiB;

    /// <summary>Lowest Argon2id iteration count; default 3.</summary>
    [Range(1, 100, ErrorMessage = OptionRules.Between)]
    public int MinArgon2Iterations { get; set; } = Argon2Parameters.Default.Iterations;

    /// <summary>Session token lifetime; fixed from login (not sliding). Default 30 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Base proof-of-work difficulty in bits; default 20 (about a million hashes, well under a second).</summary>
    [Range(0, ProofOfWork.MaxDifficulty, ErrorMessage = OptionRules.Between)]
    public int PowDifficulty { get; set; } = 20;

    /// <summary>Bits added to the difficulty while registrations exceed <see cref="RegistrationsPerMinuteThreshold"/>.</summary>
    [Range(0, ProofOfWork.MaxDifficulty, ErrorMessage = OptionRules.Between)]
    public int PowDifficultyIncreaseUnderLoad { get; set; } = 4;

    /// <summary>Registrations per minute (over every node of a cluster; each one that brings a valid proof of work counts) above which the difficulty rises.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int RegistrationsPerMinuteThreshold { get; set; } = 30;

    /// <summary>How long a proof-of-work challenge may be solved and used.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan PowChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a login id (server ephemeral) lives between start and finish.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan LoginLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Failed (or unfinished) logins on any budget an attempt is charged to after which a proof of work is required.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int LoginFailuresBeforePow { get; set; } = 3;

    /// <summary>Bits the proof of work grows per failure past <see cref="LoginFailuresBeforePow"/>.</summary>
    [Range(0, ProofOfWork.MaxDifficulty, ErrorMessage = OptionRules.Between)]
    public int LoginPowBitsPerFailure { get; set; } = 1;

    /// <summary>Most bits failures add to <see cref="PowDifficulty"/> (20 + 6 bits: about a minute of one core).</summary>
    [Range(0, ProofOfWork.MaxDifficulty, ErrorMessage = OptionRules.Between)]
    public int LoginPowMaxExtraBits { get; set; } = 6;

    /// <summary>Login attempts per (account, address) — or per device cookie — in the failure window; each start reserves one, a success gives it back.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int LoginFailuresBeforeLockout { get; set; } = 10;

    /// <summary>Login attempts per account from clients without a device cookie, all addresses together.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int LoginAccountFailuresBeforeLockout { get; set; } = 30;

    /// <summary>Login attempts per client address (IPv6: per /64) without a device cookie, all accounts together.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int LoginAddressFailuresBeforeLockout { get; set; } = 30;

    /// <summary>The window over which attempts count; it restarts with every accepted attempt, so a lockout lasts until it passes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Logins started and not yet finished (nor expired) per account, from clients without a device cookie.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxOpenLoginsPerAccount { get; set; } = 4;

    /// <summary>Logins started and not yet finished (nor expired) per client address.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxOpenLoginsPerAddress { get; set; } = 8;

    /// <summary>Logins started and not yet finished (nor expired) per device cookie.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxOpenLoginsPerDevice { get; set; } = 2;

    /// <summary>How long a device cookie is honoured after the login that issued it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan DeviceCookieLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Login and registration requests per address per minute (success or not).</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int AuthRequestsPerAddressPerMinute { get; set; } = 60;
}
