namespace IMatching.Learning.Tests;

/// <summary>libtorch's OpenMP threads are told to sleep when idle unless the user chose otherwise (see <see cref="OpenMpWaitPolicy"/>).</summary>
public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void The_native_environment_asks_for_passive_waiting_unless_the_process_started_with_a_policy()
    {
        // The managed copy of the environment is the one the process started with.
        string expected = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable) ?? OpenMpWaitPolicy.Default;
        Assert.Equal(expected, NativeEnvironment.Get(OpenMpWaitPolicy.Variable));
    }

    [Fact]
    public void A_value_already_set_is_kept()
    {
        string name = $"IMATCHING_TEST_{Guid.NewGuid():N}";
        Assert.Null(NativeEnvironment.Get(name));
        NativeEnvironment.SetDefault(name, "first");
        NativeEnvironment.SetDefault(name, "second");
        Assert.Equal("first", NativeEnvironment.Get(name));
    }
}
