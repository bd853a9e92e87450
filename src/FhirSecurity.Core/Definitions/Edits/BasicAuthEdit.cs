using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>What New-FhirBasicAuth or Set-FhirBasicAuth was given (null: not given).</summary>
public sealed record BasicAuthEdit : IDefinitionEdit<BasicAuthDefinition>
{
    /// <summary>The user name.</summary>
    public string? UserName { get; init; }

    /// <summary>The password.</summary>
    public SecretValue? Password { get; init; }

    /// <inheritdoc />
    public DefinitionKind Kind => DefinitionKind.BasicAuth;

    /// <summary>True when nothing was given: a Set- with nothing to change.</summary>
    public bool IsEmpty => UserName is null && Password is null;

    /// <summary>An edit of both from one credential.</summary>
    public static BasicAuthEdit From(UserCredential credential)
        => new() { UserName = credential.UserName, Password = credential.Password };

    /// <inheritdoc />
    public BasicAuthDefinition Create(string name)
        => new()
        {
            Name = name,
            UserName = UserName ?? throw new InvalidOperationException("A new Basic Auth definition needs a user."),
            Password = Password ?? throw new InvalidOperationException("A new Basic Auth definition needs a password."),
        };

    /// <inheritdoc />
    public BasicAuthDefinition ApplyTo(BasicAuthDefinition current)
        => current with { UserName = UserName ?? current.UserName, Password = Password ?? current.Password };
}
