using System.Runtime.InteropServices;

namespace IMatching.Learning.Devices;

/// <summary>
/// Switches libtorch's NNPACK convolutions off, as <c>torch.backends.nnpack.set_flags(False)</c> does in PyTorch.
/// libtorch 2.10 asks NNPACK whether it can run before every convolution it considers, and where NNPACK does not support
/// the CPU (this project's VM among them) each question logs "Could not initialize NNPACK! Reason: Unsupported
/// hardware." to stderr: thousands of lines in one demo. NNPACK never runs our convolutions anyway: libtorch gives it
/// batches of 16 images or more only, and a clip is a handful of frames, so switching it off changes no kernel and no
/// result. libtorch exports the switch only as a C++ member of its global context, called here by its mangled name;
/// a libtorch without it (another version) is left as it is.
/// </summary>
public static partial class Nnpack
{
    private static int _switchedOff;

    /// <summary>Switches NNPACK off once per process (libtorch must be loaded: call after the first libtorch call).</summary>
    public static void SwitchOff()
    {
        if (Interlocked.Exchange(ref _switchedOff, 1) == 1) return;
        try
        {
            SetUserEnabled(GlobalContext(), false);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not this libtorch's layout: NNPACK stays as libtorch has it.
        }
    }

    /// <summary>Whether libtorch would consider NNPACK (its user switch), or null when that cannot be read.</summary>
    public static bool? Enabled()
    {
        try
        {
            return UserEnabled(GlobalContext());
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabled(IntPtr context);
}
