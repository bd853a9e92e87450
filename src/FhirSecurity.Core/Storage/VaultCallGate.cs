using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Storage;

/// <summary>
/// One gate for the vault calls of a process. SecretManagement runs every extension-vault call in one static
/// runspace of its own and fails calls that overlap ("a pipeline is already running"), so the module never makes two
/// at once, from any runspace or thread. A call that still collides with one made outside the module (the store
/// reports <see cref="ErrorIds.SecretVaultBusy"/>: nothing was read or written) is tried again after a growing pause,
/// outside the gate, at most <see cref="Attempts"/> times in all.
/// </summary>
public sealed class VaultCallGate
{
    private readonly object _gate = new();
    private readonly TimeSpan _firstPause;

    /// <summary>Creates a gate.</summary>
    /// <param name="attempts">How many times a colliding call is made before its error is reported (1 or more).</param>
    /// <param name="firstPause">The pause after the first collision; each later one doubles it.</param>
    public VaultCallGate(int attempts, TimeSpan firstPause)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        Attempts = attempts;
        _firstPause = firstPause;
    }

    /// <summary>The gate every SecretManagement call of this process passes: 6 attempts over about 1.2 s.</summary>
    public static VaultCallGate Process { get; } = new(attempts: 6, firstPause: TimeSpan.FromMilliseconds(40));

    /// <summary>How many times a colliding call is made.</summary>
    public int Attempts { get; }

    /// <summary>Runs a vault call alone, trying it again while it collides with someone else's.</summary>
    public T Run<T>(Func<T> call)
    {
        TimeSpan pause = _firstPause;
        for (int attempt = 1; ; attempt++)
        {
            lock (_gate)
            {
                try
                {
                    return call();
                }
                catch (FhirSecurityException ex) when (ex.ErrorId == ErrorIds.SecretVaultBusy && attempt < Attempts)
                {
                    // Retried below, outside the gate, so the module's other callers are not held up by the pause.
                }
                catch (FhirSecurityException ex) when (ex.ErrorId == ErrorIds.SecretVaultBusy)
                {
                    throw new FhirSecurityException(
                        ex.ErrorId,
                        ex.Category,
                        $"{ex.Message} FhirSecurity tried {Attempts} times.",
                        ex.Target,
                        ex.InnerException);
                }
            }

            Thread.Sleep(pause);
            pause *= 2;
        }
    }

    /// <summary>Runs a vault call that returns nothing, as <see cref="Run{T}"/> does.</summary>
    public void Run(Action call)
        => Run(() =>
        {
            call();
            return true;
        });
}
