using System.Runtime.InteropServices;

namespace Robotics.Sims.MuJoCo.Internal;

/// <summary>
/// P/Invoke surface of libroboticsmujoco.so (sims/native/robotics_mujoco.c). Only the shim touches
/// mjModel / mjData struct members, so no layout is written down twice.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = "roboticsmujoco";

    [LibraryImport(Lib)] internal static partial int rm_header_version();
    [LibraryImport(Lib)] internal static partial int rm_library_version();
    [LibraryImport(Lib)] internal static partial int rm_init(byte* err, int errlen);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr rm_load_xml(string path, byte* err, int errlen);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr rm_load_xml_string(string xml, byte* err, int errlen);
    [LibraryImport(Lib)] internal static partial void rm_free_model(IntPtr model);
    [LibraryImport(Lib)] internal static partial IntPtr rm_make_data(IntPtr model, byte* err, int errlen);
    [LibraryImport(Lib)] internal static partial void rm_free_data(IntPtr data);
    [LibraryImport(Lib)] internal static partial int rm_copy_data(IntPtr model, IntPtr dst, IntPtr src, byte* err, int errlen);
    [LibraryImport(Lib)] internal static partial int rm_reset(IntPtr model, IntPtr data, byte* err, int errlen);
    [LibraryImport(Lib)] internal static partial int rm_step(IntPtr model, IntPtr data, int n, byte* err, int errlen);
    [LibraryImport(Lib)] internal static partial int rm_forward(IntPtr model, IntPtr data, byte* err, int errlen);

    [LibraryImport(Lib)] internal static partial void rm_model_sizes(IntPtr model, int* sizes);
    [LibraryImport(Lib)] internal static partial double rm_timestep(IntPtr model);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int rm_name2id(IntPtr model, int type, string name);
    [LibraryImport(Lib)] internal static partial IntPtr rm_id2name(IntPtr model, int type, int id);
    [LibraryImport(Lib)] internal static partial int rm_jnt_qposadr(IntPtr model, int joint);
    [LibraryImport(Lib)] internal static partial int rm_jnt_dofadr(IntPtr model, int joint);
    [LibraryImport(Lib)] internal static partial int rm_geom_bodyid(IntPtr model, int geom);
    [LibraryImport(Lib)] internal static partial int rm_sensor_adr(IntPtr model, int sensor);
    [LibraryImport(Lib)] internal static partial int rm_sensor_dim(IntPtr model, int sensor);
    [LibraryImport(Lib)] internal static partial double* rm_actuator_ctrlrange(IntPtr model);
    [LibraryImport(Lib)] internal static partial byte* rm_actuator_ctrllimited(IntPtr model);
    [LibraryImport(Lib)] internal static partial double* rm_actuator_gear(IntPtr model);
    [LibraryImport(Lib)] internal static partial double* rm_site_pos(IntPtr model);

    [LibraryImport(Lib)] internal static partial double rm_time(IntPtr data);
    [LibraryImport(Lib)] internal static partial void rm_set_time(IntPtr data, double time);
    [LibraryImport(Lib)] internal static partial double* rm_qpos(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_qvel(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_qacc(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_ctrl(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_act(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_qfrc_applied(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_xpos(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_xquat(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_site_xpos(IntPtr data);
    [LibraryImport(Lib)] internal static partial double* rm_sensordata(IntPtr data);
    [LibraryImport(Lib)] internal static partial int rm_ncon(IntPtr data);
    [LibraryImport(Lib)] internal static partial int rm_contact(IntPtr data, int i, int* geoms, double* dist, double* pos, double* normal);

    [LibraryImport(Lib)] internal static partial int rm_nwarning();
    [LibraryImport(Lib)] internal static partial int rm_warning_number(IntPtr data, int i);
    [LibraryImport(Lib), SuppressGCTransition] internal static partial void rm_warning_numbers(IntPtr data, int* numbers);
    [LibraryImport(Lib)] internal static partial int rm_thread_warning_count();
    [LibraryImport(Lib)] internal static partial IntPtr rm_thread_last_warning();
}
