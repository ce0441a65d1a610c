using Robotics.Sims.MuJoCo;

namespace Robotics.Sims.Tests.MuJoCo;

public sealed class MuJoCoBindingTests
{
    private const string HumanoidPath = "/usr/share/mujoco/model/humanoid/humanoid.xml";

    // A ball 0.5 m above a plane: falls under gravity and comes to rest on it.
    private const string FallingBall = """
        <mujoco>
          <option timestep="0.002"/>
          <worldbody>
            <geom name="floor" type="plane" size="1 1 0.1"/>
            <body name="ball" pos="0 0 0.5">
              <freejoint name="ball_free"/>
              <geom name="ball_geom" type="sphere" size="0.05" mass="1"/>
            </body>
          </worldbody>
          <sensor><framepos name="ball_pos" objtype="body" objname="ball"/></sensor>
        </mujoco>
        """;

    [Fact]
    public void Library_version_matches_the_headers_the_shim_was_built_against()
    {
        Assert.Equal(MuJoCoLibraryProbe.ExpectedVersion, MuJoCoRuntime.Version);
        var probe = MuJoCoLibraryProbe.Probe();
        Assert.True(probe.Installed, probe.Error);
        Assert.Equal(MuJoCoRuntime.Version, probe.VersionNumber);
    }

    [Fact]
    public void Loads_a_shipped_model_file_and_reports_its_sizes()
    {
        using var model = MuJoCoModel.LoadXml(HumanoidPath);
        Assert.Equal(28, model.Nq);   // free joint (7) + 21 hinges
        Assert.Equal(27, model.Nv);
        Assert.Equal(21, model.Nu);
        Assert.True(model.GetId(MuJoCoObjectType.Body, "torso") > 0);
        Assert.Equal("torso", model.GetName(MuJoCoObjectType.Body, model.GetId(MuJoCoObjectType.Body, "torso")));
        Assert.Equal(-1, model.TryGetId(MuJoCoObjectType.Body, "no_such_body"));
        var missing = Assert.Throws<KeyNotFoundException>(() => model.GetId(MuJoCoObjectType.Joint, "no_such_joint"));
        Assert.Contains("no_such_joint", missing.Message);
    }

    [Fact]
    public void Invalid_mjcf_surfaces_mujocos_own_error_text()
    {
        var bad = Assert.Throws<MuJoCoException>(() => MuJoCoModel.LoadXmlString("<mujoco><worldbody><geom type=\"sphere\"/></worldbody>", "broken.xml"));
        Assert.Contains("broken.xml", bad.Message);
        Assert.Contains("XML", bad.Message, StringComparison.OrdinalIgnoreCase);

        var unknown = Assert.Throws<MuJoCoException>(() => MuJoCoModel.LoadXmlString("<mujoco><worldbody><geom type=\"sphere\" size=\"0.1\" bogus=\"1\"/></worldbody></mujoco>"));
        Assert.Contains("bogus", unknown.Message);

        Assert.Throws<FileNotFoundException>(() => MuJoCoModel.LoadXml("/nonexistent/model.xml"));
    }

    [Fact]
    public void A_falling_ball_lands_on_the_floor_with_a_contact()
    {
        using var model = MuJoCoModel.LoadXmlString(FallingBall);
        using var data = model.CreateData();
        int ball = model.GetId(MuJoCoObjectType.Body, "ball");
        data.Forward();
        Assert.Equal(0.5, data.BodyPosition(ball)[2], 9);
        Assert.Equal(0, data.ContactCount);

        data.Step(1000); // 2 s
        Assert.InRange(data.BodyPosition(ball)[2], 0.04, 0.06);
        Assert.Equal(data.BodyPosition(ball)[2], data.SensorData[2], 12);
        Assert.Equal(1.0, data.BodyQuaternion(ball)[0], 6);
        Assert.True(data.ContactCount >= 1);
        var contact = data.Contact(0);
        int floor = model.GetId(MuJoCoObjectType.Geom, "floor");
        int ballGeom = model.GetId(MuJoCoObjectType.Geom, "ball_geom");
        Assert.Equal([floor, ballGeom], new[] { contact.Geom1, contact.Geom2 }.Order().ToArray());
        Assert.True(contact.Distance < 0.001);
        Assert.Equal(1.0, contact.Normal.Z, 6);
        Assert.Equal(2.0, data.Time, 9);
    }

    [Fact]
    public void Writing_qpos_qvel_and_ctrl_changes_the_simulation_and_reset_restores_defaults()
    {
        using var model = MuJoCoModel.LoadXml(HumanoidPath);
        using var data = model.CreateData();
        var qpos0 = data.Qpos.ToArray();
        data.Qpos[2] = 3.0;
        data.Qvel[0] = 1.0;
        data.Ctrl.Fill(0.4);
        data.Step(10);
        Assert.True(data.Qpos[0] > 0.05, "x should advance with vx = 1 m/s");
        Assert.Equal(0.4, data.Ctrl[5]);
        data.Reset();
        Assert.Equal(qpos0, data.Qpos.ToArray());
        Assert.All(data.Qvel.ToArray(), v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, data.Time);
    }

    [Fact]
    public void Copied_data_continues_bit_for_bit_like_the_original()
    {
        using var model = MuJoCoModel.LoadXml(HumanoidPath);
        using var a = model.CreateData();
        using var b = model.CreateData();
        a.Ctrl.Fill(0.3);
        a.Step(50);
        b.CopyFrom(a);
        a.Step(100);
        b.Step(100);
        Assert.Equal(a.Qpos.ToArray(), b.Qpos.ToArray());
        Assert.Equal(a.Qvel.ToArray(), b.Qvel.ToArray());
        Assert.Equal(a.Time, b.Time);
    }

    [Fact]
    public void A_mujoco_error_inside_mj_step_becomes_an_exception_not_an_abort()
    {
        // A stack big enough for the compiler's test step of a box in the air, too small once the box
        // lands and contacts need solver memory: mju_error fires mid mj_step, and the shim turns it
        // into a returned error instead of MuJoCo's exit().
        string xml = FallingBall
            .Replace("<option timestep=\"0.002\"/>", "<option timestep=\"0.002\"/><size nstack=\"150\"/>")
            .Replace("type=\"sphere\" size=\"0.05\"", "type=\"box\" size=\"0.05 0.05 0.05\"");
        using var model = MuJoCoModel.LoadXmlString(xml, "tiny-stack");
        using var data = model.CreateData();
        data.Step(10); // still falling: fine
        var error = Assert.Throws<MuJoCoException>(() => data.Step(1000));
        Assert.Contains("mj_step", error.Message);
        Assert.Contains("Stack overflow", error.Message);

        // The instance was reset and is usable again; the process is alive.
        Assert.Equal(0.0, data.Time);
        data.Step(10);
        Assert.True(data.Time > 0);
    }

    [Fact]
    public void Bad_state_raises_a_mujoco_warning_that_is_reported()
    {
        using var model = MuJoCoModel.LoadXmlString(FallingBall);
        using var data = model.CreateData();
        data.Step();
        Assert.Empty(data.TakeNewWarnings());
        data.Qvel[2] = double.NaN;
        data.Step();
        var warnings = data.TakeNewWarnings();
        Assert.Contains(warnings, w => w.Kind == MuJoCoWarning.BadQvel && w.Count == 1);
        Assert.Equal(1, data.WarningCount(MuJoCoWarning.BadQvel));
        Assert.Empty(data.TakeNewWarnings());
        Assert.All(data.Qvel.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Disposed_handles_refuse_use_and_dispose_is_idempotent()
    {
        var model = MuJoCoModel.LoadXmlString(FallingBall);
        var data = model.CreateData();
        data.Dispose();
        data.Dispose();
        Assert.Throws<ObjectDisposedException>(() => data.Step());
        Assert.Throws<ObjectDisposedException>(() => _ = data.Qpos.Length);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.CreateData());
    }

    [Fact]
    public void Index_checks_name_the_model_instead_of_reading_out_of_bounds()
    {
        using var model = MuJoCoModel.LoadXmlString(FallingBall, "ball.xml");
        using var data = model.CreateData();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.BodyPosition(7).ToArray());
        Assert.Contains("ball.xml", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Contact(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ActuatorControlRange(0));
    }

    [Fact]
    public void Independent_data_instances_simulate_in_parallel_threads_identically()
    {
        using var model = MuJoCoModel.LoadXml(HumanoidPath);
        double[] Run()
        {
            using var data = model.CreateData();
            data.Ctrl.Fill(0.2);
            data.Step(300);
            return data.Qpos.ToArray();
        }

        var results = Enumerable.Range(0, 4).AsParallel().Select(_ => Run()).ToArray();
        Assert.All(results, r => Assert.Equal(results[0], r));
    }

    [Fact]
    public async Task Compiling_while_other_threads_step_keeps_mujoco_errors_catchable()
    {
        // MuJoCo's compiler swaps the global error handlers while it runs; the shim serialises
        // compiles against engine calls so the handlers are ours afterwards on every thread.
        using var model = MuJoCoModel.LoadXml(HumanoidPath);
        using var stop = new CancellationTokenSource();
        var steppers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            using var data = model.CreateData();
            while (!stop.IsCancellationRequested)
                data.Step(5);
        })).ToArray();
        var compilers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 8; i++)
            {
                using var m = MuJoCoModel.LoadXmlString(FallingBall);
                Assert.Throws<MuJoCoException>(() => MuJoCoModel.LoadXmlString("<mujoco><bad"));
            }
        })).ToArray();
        await Task.WhenAll(compilers);
        stop.Cancel();
        await Task.WhenAll(steppers);

        string xml = FallingBall
            .Replace("<option timestep=\"0.002\"/>", "<option timestep=\"0.002\"/><size nstack=\"150\"/>")
            .Replace("type=\"sphere\" size=\"0.05\"", "type=\"box\" size=\"0.05 0.05 0.05\"");
        using var tiny = MuJoCoModel.LoadXmlString(xml);
        using var tinyData = tiny.CreateData();
        await Task.Run(() => Assert.Throws<MuJoCoException>(() => tinyData.Step(1000)));
    }
}
