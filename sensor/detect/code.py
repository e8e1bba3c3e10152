"""Code injection (hit type `rce`): PHP, Java (incl. Log4Shell, deserialization), Node.js, Python, Perl, Ruby."""
from __future__ import annotations

import re

TYPE = "rce"

# PHP functions named with an underscore, from OWASP CRS `php-function-names-933151.data` (its paranoia-level-2 list);
# a token ending in `_` starts a prefix group. Matched only as calls with PHP-looking arguments (see php:crs_function).
_PHP_FUNCTIONS = (
    "apache_ child_terminate get_modules get_version getenv lookup_uri note request_headers reset_timeout "
    "response_headers setenv array_ change_key_case chunk column combine count_values diff diff_assoc diff_key fill "
    "fill_keys flip intersect intersect_assoc intersect_key key_exists keys merge merge_recursive multisort pad pop "
    "product push rand replace replace_recursive reverse search shift slice splice sum unique unshift values walk "
    "walk_recursive base_ convert bind_ textdomain_codeset blenc_ encrypt calcul_ hmac chdb_ create chunk_ split "
    "class_ alias exists implements parents uses cli_ get_process_title set_process_title com_ create_guid "
    "event_sink get_active_object load_typelib message_pump print_typeinfo config_ get_hash connection_ aborted "
    "status convert_ cyr_string count_ chars crack_ check closedict getlastmessage opendict ctype_ alnum alpha "
    "cntrl digit graph lower print punct space upper xdigit curl_ close copy_handle errno error escape getinfo "
    "multi_add_handle multi_close multi_exec multi_getcontent multi_info_read multi_init multi_remove_handle "
    "multi_select multi_setopt multi_strerror pause reset setopt setopt_array share_close share_init share_setopt "
    "strerror unescape version date_ add create create_from_format create_immutable create_immutable_from_format "
    "date_set default_timezone_get default_timezone_set diff format get_last_errors "
    "interval_create_from_date_string interval_format isodate_set modify offset_get parse parse_from_format sub "
    "sun_info sunrise sunset time_set timestamp_get timestamp_set timezone_get timezone_set debug_ print_backtrace "
    "zval_dump define_ syslog_variables disk_ free_space total_space dns_ check_record get_mx get_record dom_ "
    "import_simplexml ereg_ replace eregi_ replace error_ clear_last get_last expect_ expectl popen extension_ "
    "loaded ezmlm_ hash fastcgi_ finish_request filter_ has_var id input input_array list var var_array finfo_ "
    "close forward_ static_call static_call_array fribidi_ log2vis ftp_ ssl_connect func_ get_arg get_args num_args "
    "gc_ collect_cycles disable enable enabled mem_caches gd_ info get_ browser called_class class declared_classes "
    "declared_interfaces declared_traits extension_funcs headers html_translation_table include_path included_files "
    "loaded_extensions magic_quotes_gpc magic_quotes_runtime object_vars parent_class required_files resource_type "
    "resources gopher_ parsedir hash_ algos copy equals final hmac init pbkdf2 update update_stream header_ remove "
    "highlight_ string http_ build_query response_code iconv_ get_encoding mime_decode mime_decode_headers "
    "mime_encode set_encoding strlen strpos strrpos substr idn_ to_ascii to_utf8 ignore_ user_abort image_ "
    "type_to_extension type_to_mime_type import_ request_variables in_ array inet_ ntop pton ini_ alter restore "
    "interface_ exists intl_ error_name get_error_code get_error_message is_failure is_ subclass_of uploaded_file "
    "iterator_ apply count to_array json_ last_error last_error_msg judy_ type version key_ exists lcg_ value "
    "libxml_ clear_errors disable_entity_loader get_errors get_last_error set_external_entity_loader "
    "set_streams_context use_internal_errors lzf_ compress decompress optimized_for magic_ quotes_runtime mb_ "
    "check_encoding convert_case convert_encoding convert_kana convert_variables decode_mimeheader "
    "decode_numericentity detect_encoding detect_order encode_mimeheader encode_numericentity encoding_aliases "
    "ereg_search ereg_search_getpos ereg_search_getregs ereg_search_init ereg_search_pos ereg_search_regs "
    "ereg_search_setpos get_info http_input http_output internal_encoding language list_encodings output_handler "
    "preferred_mime_name regex_encoding regex_set_options send_mail split strcut strimwidth stripos stristr strlen "
    "strpos strrchr strrichr strripos strrpos strstr strtolower strtoupper strwidth substitute_character substr "
    "substr_count mbereg_ match replace search search_getpos search_getregs search_init search_pos search_regs "
    "search_setpos mberegi_ replace mbregex_ encoding mcrypt_ cbc cfb create_iv decrypt ecb enc_get_algorithms_name "
    "enc_get_block_size enc_get_iv_size enc_get_key_size enc_get_modes_name enc_get_supported_key_sizes "
    "enc_is_block_algorithm enc_is_block_algorithm_mode enc_is_block_mode enc_self_test encrypt generic "
    "generic_deinit generic_end generic_init get_block_size get_cipher_name get_iv_size get_key_size "
    "list_algorithms list_modes module_close module_get_algo_block_size module_get_algo_key_size "
    "module_get_supported_key_sizes module_is_block_algorithm module_is_block_algorithm_mode module_is_block_mode "
    "module_open module_self_test ofb mdecrypt_ generic memcache_ debug memory_ get_peak_usage get_usage mhash_ "
    "count get_block_size get_hash_name keygen_s2k mime_ content_type money_ format msg_ get_queue queue_exists "
    "receive remove_queue send set_queue stat_queue mssql_ bind close connect data_seek execute fetch_array "
    "fetch_assoc fetch_batch fetch_field fetch_object fetch_row field_length field_name field_seek field_type "
    "free_result free_statement get_last_message guid_string init min_error_severity min_message_severity "
    "next_result num_fields num_rows pconnect query result rows_affected select_db mt_ getrandmax rand srand mysql_ "
    "affected_rows client_encoding close connect create_db createdb data_seek db_name db_query dbname drop_db "
    "dropdb errno error escape_string fetch_array fetch_assoc fetch_field fetch_lengths fetch_object fetch_row "
    "field_flags field_len field_name field_seek field_table field_type fieldflags fieldlen fieldname fieldtable "
    "fieldtype free_result freeresult get_client_info get_host_info get_proto_info get_server_info info insert_id "
    "list_dbs list_fields list_processes list_tables listdbs listfields listtables num_fields num_rows numfields "
    "numrows pconnect ping real_escape_string result select_db selectdb set_charset stat table_name tablename "
    "thread_id unbuffered_query mysqli_ bind_param bind_result client_encoding connect disable_rpl_parse "
    "enable_reads_from_master enable_rpl_parse escape_string execute fetch get_cache_stats get_client_stats "
    "get_client_version get_links_stats get_metadata master_query param_count report rpl_parse_enabled rpl_probe "
    "send_long_data slave_query mysqlnd_ memcache_get_config memcache_set ms_dump_servers ms_fabric_select_global "
    "ms_fabric_select_shard ms_get_last_gtid ms_get_last_used_connection ms_get_stats ms_match_wild "
    "ms_query_is_select ms_set_qos ms_set_user_pick_server ms_xa_begin ms_xa_commit ms_xa_gc ms_xa_rollback "
    "qc_clear_cache qc_get_available_handlers qc_get_cache_info qc_get_core_stats qc_get_normalized_query_trace_log "
    "qc_get_query_trace_log qc_set_cache_condition qc_set_is_select qc_set_storage_handler qc_set_user_handlers "
    "uh_convert_to_mysqlnd uh_set_connection_proxy uh_set_statement_proxy nl_ langinfo nsapi_ request_headers "
    "response_headers virtual number_ format oauth_ get_sbs urlencode ob_ get_length get_level get_status gzhandler "
    "iconv_handler implicit_flush list_handlers tidyhandler odbc_ autocommit binmode close close_all "
    "columnprivileges columns commit cursor data_source do error errormsg fetch_array fetch_into fetch_object "
    "fetch_row field_len field_name field_num field_precision field_scale field_type foreignkeys free_result "
    "gettypeinfo longreadlen next_result num_fields num_rows pconnect prepare primarykeys procedurecolumns "
    "procedures rollback setoption specialcolumns statistics tableprivileges tables opcache_ compile_file "
    "get_configuration get_status invalidate is_script_cached reset openssl_ cipher_iv_length csr_export "
    "csr_export_to_file csr_get_public_key csr_get_subject csr_new csr_sign decrypt dh_compute_key digest encrypt "
    "error_string free_key get_cert_locations get_cipher_methods get_md_methods get_privatekey get_publickey open "
    "pbkdf2 pkcs12_export pkcs12_export_to_file pkcs12_read pkcs7_decrypt pkcs7_encrypt pkcs7_sign pkcs7_verify "
    "pkey_export pkey_export_to_file pkey_free pkey_get_details pkey_get_private pkey_get_public pkey_new "
    "private_decrypt private_encrypt public_decrypt public_encrypt random_pseudo_bytes seal sign spki_export "
    "spki_export_challenge spki_new spki_verify verify x509_check_private_key x509_checkpurpose x509_export "
    "x509_export_to_file x509_fingerprint x509_free x509_parse x509_read output_ add_rewrite_var reset_rewrite_vars "
    "override_ function parse_ ini_string url parsekit_ compile_file compile_string func_arginfo password_ get_info "
    "hash needs_rehash verify pcntl_ alarm errno get_last_error getpriority setpriority signal signal_dispatch "
    "sigprocmask sigtimedwait sigwaitinfo strerror wait waitpid wexitstatus wifexited wifsignaled wifstopped "
    "wstopsig wtermsig pg_ affected_rows cancel_query client_encoding close connect_poll connection_busy "
    "connection_reset connection_status consume_input convert copy_from copy_to dbname delete end_copy escape_bytea "
    "escape_identifier escape_literal escape_string fetch_all fetch_all_columns fetch_array fetch_assoc "
    "fetch_object fetch_result fetch_row field_is_null field_name field_num field_prtlen field_size field_table "
    "field_type field_type_oid flush free_result get_notify get_pid get_result host insert last_error last_notice "
    "last_oid lo_close lo_create lo_export lo_import lo_open lo_read lo_read_all lo_seek lo_tell lo_truncate "
    "lo_unlink lo_write meta_data num_fields num_rows options parameter_status pconnect ping port put_line "
    "query_params result_error result_error_field result_seek result_status select send_execute send_prepare "
    "send_query send_query_params set_client_encoding set_error_verbosity socket trace transaction_status tty "
    "unescape_bytea untrace update version php_ check_syntax ini_loaded_file ini_scanned_files logo_guid sapi_name "
    "posix_ access ctermid errno get_last_error getgrgid getgrnam getgroups getpgid getpgrp getpid getppid "
    "getrlimit getsid initgroups isatty setegid seteuid setgid setpgid setrlimit setsid setuid strerror times preg_ "
    "filter grep last_error quote property_ exists quoted_ printable_decode printable_encode random_ bytes int rar_ "
    "wrapper_cache_stats readline_ add_history callback_handler_install callback_handler_remove callback_read_char "
    "clear_history completion_function info list_history on_new_line read_history redisplay write_history realpath_ "
    "cache_get cache_size recode_ file string restore_ error_handler exception_handler include_path rpm_ close "
    "get_tag is_valid open version rrdc_ disconnect runkit_ class_adopt class_emancipate constant_remove "
    "function_remove import lint lint_file method_remove return_value_used sandbox_output_handler superglobals sem_ "
    "acquire get release remove session_ abort cache_expire cache_limiter commit decode destroy encode "
    "get_cookie_params id is_registered module_name name pgsql_add_error pgsql_get_error pgsql_get_field "
    "pgsql_reset pgsql_set_field pgsql_status regenerate_id register register_shutdown reset save_path "
    "set_cookie_params status unregister unset write_close set_ file_buffer socket_blocking time_limit shm_ attach "
    "detach get_var has_var put_var remove remove_var shmop_ close delete open read size write simplexml_ "
    "import_dom socket_ accept bind clear_error close cmsg_space create_listen create_pair get_option get_status "
    "getopt getpeername getsockname import_stream last_error listen read recv recvfrom recvmsg select send sendmsg "
    "sendto set_block set_blocking set_nonblock set_option set_timeout setopt shutdown strerror write solr_ "
    "get_version spl_ autoload autoload_call autoload_extensions autoload_functions autoload_register "
    "autoload_unregister classes object_hash sql_ regcase sqlite_ busy_timeout changes close column current "
    "error_string escape_string factory fetch_all fetch_array fetch_column_types fetch_object fetch_single "
    "fetch_string field_name has_more has_prev key last_error last_insert_rowid libencoding libversion next "
    "num_fields num_rows prev rewind seek udf_decode_binary udf_encode_binary valid sqlsrv_ begin_transaction "
    "cancel client_info close commit configure connect errors execute fetch fetch_array fetch_object field_metadata "
    "free_stmt get_config get_field has_rows next_result num_fields num_rows prepare query rollback rows_affected "
    "send_stream_data server_info ssdeep_ fuzzy_compare fuzzy_hash fuzzy_hash_filename stomp_ connect_error version "
    "str_ getcsv ireplace pad repeat replace shuffle split word_count stream_ bucket_append bucket_make_writeable "
    "bucket_new bucket_prepend context_get_default context_get_options context_get_params context_set_default "
    "context_set_option context_set_params copy_to_stream encoding filter_append filter_prepend filter_register "
    "filter_remove get_contents get_filters get_line get_meta_data get_transports get_wrappers is_local "
    "notification_callback register_wrapper resolve_include_path select set_blocking set_chunk_size set_read_buffer "
    "set_timeout set_write_buffer socket_accept socket_enable_crypto socket_get_name socket_pair socket_recvfrom "
    "socket_sendto socket_server socket_shutdown supports_lock wrapper_register wrapper_restore wrapper_unregister "
    "strip_ tags substr_ compare count replace sys_ getloadavg tcpwrap_ check time_ nanosleep sleep_until timezone_ "
    "abbreviations_list identifiers_list location_get name_from_abbr name_get offset_get open transitions_get "
    "version_get token_ get_all name trait_ exists trigger_ error unregister_ tick_function use_ soap_error_handler "
    "user_ error utf8_ decode encode var_ export version_ compare win32_ continue_service create_service "
    "delete_service get_last_control_message pause_service ps_list_procs ps_stat_mem ps_stat_proc "
    "query_service_status set_service_status start_service start_service_ctrl_dispatcher stop_service xattr_ get "
    "list remove set supported xml_ error_string get_current_byte_index get_current_column_number "
    "get_current_line_number get_error_code parse parse_into_struct parser_create parser_create_ns parser_free "
    "parser_get_option parser_set_option set_character_data_handler set_default_handler set_element_handler "
    "set_end_namespace_decl_handler set_external_entity_ref_handler set_notation_decl_handler set_object "
    "set_processing_instruction_handler set_start_namespace_decl_handler set_unparsed_entity_decl_handler xmlrpc_ "
    "decode decode_request encode encode_request get_type is_fault parse_method_descriptions "
    "server_add_introspection_data server_call_method server_create server_destroy "
    "server_register_introspection_callback server_register_method set_type yaml_ emit emit_file parse parse_file "
    "parse_url zend_ logo_guid thread_id version zip_ close entry_close entry_compressedsize "
    "entry_compressionmethod entry_filesize entry_name entry_open entry_read open read zlib_ encode get_coding_type "
)
# OWASP CRS `php-function-names-933150.data`: names only code execution, reflection or remote fetches use.
_PHP_HIGH_RISK = (
    "__halt_compiler apache_child_terminate base64_decode bzdecompress call_user_func call_user_func_array "
    "call_user_method call_user_method_array convert_uudecode file_get_contents file_put_contents fsockopen "
    "get_class_methods get_class_vars get_defined_constants get_defined_functions get_defined_vars gzdecode gzinflate "
    "gzuncompress include_once invokeargs pcntl_exec pcntl_fork pfsockopen posix_getcwd posix_getpwuid posix_getuid "
    "posix_uname reflectionfunction require_once shell_exec str_rot13 sys_get_temp_dir wp_remote_fopen wp_remote_get "
    "wp_remote_head wp_remote_post wp_remote_request wp_safe_remote_get wp_safe_remote_head wp_safe_remote_post "
    "wp_safe_remote_request zlib_decode "
)


def _expand(groups: str, size: int = 3000) -> list[str]:
    """`prefix_(?:a|b)` alternations of the grouped names, cut into chunks under hyperscan's pattern-length limit."""
    parts: list[str] = []
    prefix, names = "", []
    for tok in groups.split() + ["_"]:
        if tok.endswith("_"):
            if names:
                parts.append(re.escape(prefix) + "(?:" + "|".join(names) + ")")
            prefix, names = tok, []
        else:
            names.append(tok)
    chunks, cur = [], ""
    for part in parts:
        if cur and len(cur) + len(part) > size:
            chunks.append(cur)
            cur = ""
        cur = cur + "|" + part if cur else part
    return chunks + [cur]


RULES: list[tuple[str, float, str]] = [
    # --- PHP
    # `<?php`, `<?=`, and the `[php]`/`[/php]`/`[\php]` markers some BBCode-style engines turn into PHP
    ("php:open_tag", 0.9, r"<\?(?:php[\s(/]|=|\s+php\b)|\[[/\\]?php\]"),
    # Smarty's `{php}…{/php}` block runs its body as PHP (Smarty < 3.1.19 and SmartyBC)
    ("php:smarty_tag", 0.85, r"\{/?php\}"),
    # `${func()}` / `{${func()}}`: PHP's complex string syntax (and EL/template engines) call what stands inside
    ("php:complex_syntax_call", 0.85, r"\$\{\s*[a-z_][\w\\]*\s*\("),
    # `<?` closing a value, and `<?xml :code` (a broken XML declaration that a short_open_tag PHP runs as code)
    ("php:open_tag_end", 0.6, r"<\?\s*$"),
    ("php:xml_polyglot", 0.85, r"<\?xml\s+:\s*[a-z_]\w*\s*[\s(;]"),
    ("php:open_tag_code", 0.9, r"<\?\s*(?:\$|\w+\s*\(|echo\b|print\b|exec\b|system\b|include\b|require\b|eval\b|@)"),
    ("php:superglobal", 0.9, r"\$_(?:get|post|cookie|request|server|files|env|session)\b|\$globals\b|\$http_(?:get|post|cookie|server|env|raw_post_data|session|post_files)_vars\b|\$http_raw_post_data\b"),
    # `$f('id');` calls what a variable names; a PHP variable never starts with a digit (`$5 (five dollars)`)
    ("php:variable_variable", 0.85, r"\$\s*\{\s*['\"][^'\"]*['\"]|\$\s+\{\s*(?:\$\w+|[a-z_]{3,})\s*\}|\$\$\w+\s*\(|\$[a-z_]\w*(?:\(\s*[^)]*\)|\s+\(\s*['\"$][^)]*\))\s*(?:;|$)"),
    # a wrapper followed by what a stream path holds (`php://filter/…`, `phar://x/y`) or the bare `php://input`;
    # followed by a blank and a word it is prose (`php://input explained`, `the data://protocol`)
    ("php:stream_wrapper", 0.9, r"\bphp://(?:std(?:in|out|err)|input|output|fd|memory|temp|filter)(?:\s*$|[^\s\w])|\b(?:zlib|glob|phar|ssh2(?:\.\w+)?|rar|ogg|expect|zip|compress\.(?:zlib|bzip2))://[^\s]|\bdata://[a-z]+/[\w.+\-]+[;,]"),
    # php.ini directives that open code paths count anywhere (`allow_url_include=1`, CVE-2024-4577's
    # `-d auto_prepend_file=`); tuning ones (`precision`, `engine`, `memory_limit`) only as a directive line,
    # after `-d`, in `ini_set('…',` or `.htaccess` `php_value` — in prose (`search engine=…`) they are words
    ("php:config_directive", 0.85, r"\b(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|safe_mode|open_basedir|disable_functions|register_globals|include_path|upload_tmp_dir|session\.(?:save_path|serialize_handler|auto_start|upload_progress\.\w+)|opcache\.\w+|suhosin\.\w+|assert\.\w+|xdebug\.\w+|phar\.\w+|mail\.(?:add_x_header|log|force_extra_parameters)|sendmail_path|short_open_tag|enable_dl|extension_dir|user_ini\.\w+|zend_extension)\s*=\s*\S|(?:^|[\n;]|-d\s*|\bini_set\s*\(\s*['\"])\s*(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|safe_mode|open_basedir|disable_functions|register_globals|include_path|upload_tmp_dir|session\.(?:save_path|serialize_handler|auto_start|upload_progress\.\w+)|opcache\.\w+|suhosin\.\w+|assert\.\w+|xdebug\.\w+|phar\.\w+|mail\.(?:add_x_header|log|force_extra_parameters)|sendmail_path|short_open_tag|enable_dl|extension_dir|user_ini\.\w+|zend_extension|magic_quotes_gpc|display_errors|error_log|file_uploads|session\.(?:referer_check|use_only_cookies)|mbstring\.\w+|pcre\.\w+|zend\.\w+|mail\.\w+|expose_php|memory_limit|max_execution_time|engine|extension|precision|serialize_precision|output_buffering|implicit_flush)\s*(?:=\s*\S|['\"]\s*,)|\bphp_(?:admin_)?(?:value|flag)\s+(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|safe_mode|open_basedir|disable_functions|register_globals|include_path|upload_tmp_dir|session\.(?:save_path|serialize_handler|auto_start|upload_progress\.\w+)|opcache\.\w+|suhosin\.\w+|assert\.\w+|xdebug\.\w+|phar\.\w+|mail\.(?:add_x_header|log|force_extra_parameters)|sendmail_path|short_open_tag|enable_dl|extension_dir|user_ini\.\w+|zend_extension|magic_quotes_gpc|display_errors|error_log|file_uploads|session\.(?:referer_check|use_only_cookies)|mbstring\.\w+|pcre\.\w+|zend\.\w+|mail\.\w+|expose_php|memory_limit|max_execution_time|engine|extension|precision|serialize_precision|output_buffering|implicit_flush)\b"),
    # CRS v4 934170: a `data:` URI whose base64 body starts with `<?` (`PD8`/`PD9`…): PHP code for an include or a
    # `data://` wrapper; images and fonts in data URIs start otherwise
    ("php:data_uri_code", 0.9, r"\bdata:(?://)?[\w.+\-]+/[\w.+\-]+(?:\s*;\s*[\w.\-]+=[\w.\-]+)*\s*;\s*base64\s*,\s*(?-i:PD[89+/])"),
    ("php:serialized_object", 0.95, r"\b[oc]:\+?\d+:\"[\w\\]+\":\+?\d+:\{"),
    ("php:serialized_array", 0.7, r"\ba:\d+:\{(?:[sibd]:\d*[:;])"),
    # PHP-only names take any argument; names that are also English words or other languages' calls
    # (`copy(paste)`, `extract(text)`, `eval(x)`) need a PHP-looking one: a string, a variable, a backtick, a call
    ("php:high_risk_function", 0.9, r"\b(?:fopen|fread|fwrite|fputs|readfile|unserialize|var_dump|print_r|scandir|opendir|readdir|tempnam|tmpfile|ob_start|array_map|array_filter|array_walk|parse_str|uasort|uksort|base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|shell_exec|passthru|proc_open|popen|pcntl_exec|create_function|call_user_func(?:_array)?|assert_options|move_uploaded_file|file_put_contents|fsockopen|pfsockopen|phpinfo|posix_(?:getpwuid|kill|mkfifo|setuid|setsid|getuid)|preg_replace_callback(?:_array)?|register_shutdown_function|register_tick_function|ini_set|ini_get_all|highlight_file|show_source|php_uname|get_current_user|getmyuid|escapeshellcmd|escapeshellarg|curl_exec|curl_multi_exec|mb_ereg_replace|mb_eregi_replace|file_get_contents|stream_socket_client|stream_get_contents|get_defined_vars|get_defined_functions|include_once|require_once)\s*(?:/\*.*\*/\s*)*\(\s*[^\s)]|(?:^|[^\w.$>:]|[^\w)\]$]\.)(?:extract|putenv|getenv|serialize|dl|chmod|chown|unlink|rmdir|mkdir|copy|rename|glob|system|exec|eval|assert|usort|symlink)\s*(?:/\*.*\*/\s*)*\(\s*(?:['\"$@`]|[a-z_]\w*\s*\()"),
    ("php:quoted_function_call", 0.8, r"['\"](?:system|exec|shell_exec|passthru|popen|proc_open|assert|eval|phpinfo|base64_decode|create_function|file_get_contents|readfile)['\"]\s*\("),
    ("php:distinctive_call", 0.85, r"(?:gzdecode|zlib_decode|strrev|unpack|intval|base64_decode|call_user_func(?:_array)?|fsockopen|shell_exec|proc_open|pcntl_exec|create_function|file_put_contents|file_get_contents|move_uploaded_file|gzinflate|gzuncompress|str_rot13|phpinfo|php_uname|posix_\w+|preg_replace\w*|assert_options|get_defined_vars|ini_set|escapeshell(?:cmd|arg)|curl_exec|stream_socket_client|register_shutdown_function|mb_ereg_replace|highlight_file|show_source)\s*(?:/\*.*?\*/\s*)*=?\s*\("),
    ("upload:restricted_file", 0.8, r"(?:^|/)\.(?:htaccess|htpasswd|boto|env|user\.ini|bashrc|bash_profile|profile|npmrc|pypirc|netrc|git-credentials|gitconfig|ssh)$|(?:^|/)(?:web\.config|config\.ya?ml|authorized_keys|id_rsa\w*|crontab|settings\.py|wp-config\.php)$"),
    ("php:call_evasion", 0.85, r"\b(?:file|exec|system|passthru|eval|assert|include|require|fopen|readfile|popen|proc_open|shell_exec|phpinfo|chr|ord|base64_decode|unserialize|create_function|call_user_func)\s*(?:(?:/\*.*?\*/|//[^\n]*\n|#[^\n]*\n|[\r\n]+)\s*)+\("),
    ("php:function_name", 0.45, r"\b(?:base64_decode|gzinflate|gzuncompress|str_rot13|shell_exec|proc_open|pcntl_exec|create_function|call_user_func_array|move_uploaded_file|file_put_contents|file_get_contents|phpinfo|fsockopen|posix_getpwuid|php_uname|preg_replace|assert_options|get_defined_vars)\b"),
    # calls of names from the CRS PHP function lists: high-risk ones with anything, the rest with a PHP argument
    ("php:crs_high_risk_call", 0.85, r"\b(?:" + "|".join(_PHP_HIGH_RISK.split()) + r")\s*\("),
    *[("php:crs_function", 0.7, r"\b(?:" + names + r")\s*\(\s*(?:['\"$`@\d)]|[a-z_]\w*\s*\()")
      for names in _expand(_PHP_FUNCTIONS)],
    ("php:underscore_function_call", 0.6, r"^\s*(?:array|str|date|pg|ldap|sodium_crypto|tidy|mysql|mysqli|curl|file|posix|proc|stream|socket|openssl|mb|iconv|preg|ftp|zip|xml|json|ob|session|ini|gz|bz|hash|image|imap|mcrypt|oci|odbc|sqlite|pcntl|apcu?|igbinary|msgpack|yaml|simplexml|dom|libxml|xmlrpc|xsl|bcm|gmp|ctype|intl|grapheme|locale|numfmt|collator|transliterator|spl|class|func|is|call|debug|error|highlight|php|memory|gc|zend|var|serialize|unserialize|shm|sem|msg|sys|pfsock|fsock|http|url|base64|convert|quoted|uu|levenshtein|similar|soundex|metaphone|money|number|nl|ucwords|wordwrap|htmlspecialchars|html|strip|add|crc|md5|sha1|crypt|password|random|mt|lcg|uniqid|openlog|syslog|closelog|define|constant|defined|method|property|interface|trait|enum|iterator|forward|register|spl|runkit|uopz|eio|ev|event)_[a-z0-9_]+\s*\(|^\s*date_[a-z]+\s*\("),
    # `include`/`require` count with a path, URL, wrapper or variable: Node's `require('express')` is an import
    ("php:function_call_quoted", 0.85, r"\b(?:system|exec|shell_exec|passthru|popen|proc_open|eval|assert|file_get_contents|readfile|fopen|phpinfo|print_r|var_dump|base64_decode|str_rot13|gzinflate|call_user_func|array_map|preg_replace|create_function|unserialize)\s*\(\s*(?:['\"$(\[`]|chr\s*\(|\d+\s*\)|[a-z_]+\s*\()|\b(?:print|echo|chr|ord)\s*\(\s*(?:[$`(]|[a-z_]\w*\s*\(|\d+\s*\))|\b(?:include|require)(?:_once)?\s*\(?\s*(?:['\"]\s*(?:/|\.\.?[/\\]|[a-z][\w+.\-]*://|data:|[a-z]:[\\/]|\$|[\w\-]+\.(?:php\d?|phtml|inc|txt|log|jpe?g|png|gif)\b)|\$)"),
    ("php:variable_call", 0.8, r"\$(?:\{[^}\s]{1,30}\}|[a-z_@$][\w$]{0,30})\s*(?:(?:\[[^\]]{1,30}\]|\{[^}]{1,30}\}|/\*.{0,40}?\*/|//[^\n]{0,40}\n|#[^\n]{0,40}\n)\s*)*\((?:\s*\)|\s*['\"$\d])"),
    ("php:commented_call", 0.8, r"\(\s*(?:/\*.*?\*/\s*)+[a-z_]+\s*(?:/\*.*?\*/\s*)*\)\s*\(|\(\s*[a-z_]+\s*(?:/\*.*?\*/\s*)+\)\s*\("),
    ("php:variable_function", 0.85, r"\(\s*['\"]?[a-z_.'\"()\s]+['\"]?\s*\)\s*\(\s*['\"][^'\"]*['\"]\s*\)|\(\s*sy[\s.'\"()]*st[\s.'\"()]*em\s*\)|['\"][a-z_]+['\"]\s*\.\s*['\"][a-z_]+['\"]\s*\)?\s*\(|\$\{?[a-z_]+\}?\s*\[\s*['\"]?\w+['\"]?\s*\]\s*\(|\$\w+\s*\(\s*\$\w+|\$\w+\s*\[[^\]]{1,20}\]\s*\(|\$_+\s*\(|\$\{?_+\}?\s*\["),
    # CRS 933210's `(string)'…'` form: a cast of a quoted name, concatenated or called, or naming a code-running
    # function; a C#/Java `(string)"abc"` cast in a snippet is neither
    ("php:string_cast_call", 0.85, r"\(\s*string\s*\)\s*['\"](?:[^'\"]{0,40}['\"]\s*[.)(]|(?:system|exec|shell_exec|passthru|popen|proc_open|assert|eval|phpinfo|create_function|call_user_func\w*|base64_decode|file_put_contents|file_get_contents|include|require)['\"]\s*(?:$|[;.)(]))"),
    # `pack('H*', '73797374656d')` / `hex2bin(…)`: PHP building a function name or code from hex
    ("php:hex_pack", 0.85, r"\bpack\s*\(\s*['\"][hHaA]\*?['\"]\s*,\s*['\"]?[0-9a-f]{6,}|\bhex2bin\s*\(\s*['\"]?[0-9a-f]{6,}"),
    # Drupal render-array callbacks in a parameter name (`mail[#post_render][]=exec`, SA-CORE-2018-002/004)
    ("php:drupal_render_callback", 0.9, r"\[\s*#(?:post_render|pre_render|lazy_builder|access_callback|value_callback|element_validate|process)\s*\]"),
    ("upload:php_session", 0.75, r"(?:^|/|\\)sess_[a-z0-9,\-]{8,}"),
    ("upload:php_script", 0.85, r"\.\s*(?:php\d*|phtml|phar|pht|phpt|phps|pgif|shtml|htaccess|inc)(?:\.|\s|$|%00|\x00)|wp-config[\-_.]php"),
    # --- Java
    # Runtime / ProcessBuilder named as code: alone, before punctuation, or called with code-like arguments;
    # a stack frame's `(Runtime.java:620)`, `(Native Method)`, `(Unknown Source)` are not code arguments
    ("java:runtime_exec", 0.95, r"\bjava\.lang\.(?:runtime|processbuilder)(?:\s*$|[^\w.$\s]|\s+[^\w\s]|\.\s*\w+\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[]))|\bruntime\s*\.\s*getruntime\s*\(|\.\s*exec\s*\(\s*['\"\[]|\bnew\s+processbuilder\b"),
    # a fully qualified JDK class used as code (a call or constructor with code-like arguments), or the name
    # right after code punctuation (`T(java.`, `@java.`, `new java.`, `!!java.`); stack traces have neither
    ("java:qualified_call", 0.85, r"\b(?:java|javax|jdk|sun|com\.sun|org\.omg)\.[\w$]+\.[\w$.]+\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|true\b|false\b|[a-z_$][\w$]*\s*[,)+\[])|(?:[@=<>\[{]|!!|\bnew\s+|\bt\s*\(\s*)(?:java|javax)\.(?:lang|io|net|nio|util|beans|rmi|script|naming|management|xml|sql)\.[a-z_$]"),
    ("java:runtime_gadget", 0.9, r"\b(?:runtime|processbuilder)\b.*\b(?:clonetransformer|forclosure|instantiatefactory|instantiatetransformer|invokertransformer|prototypeclonefactory|prototypeserializationfactory|whileclosure|getproperty|filewriter|xmldecoder|unmarshaller|base64data)"),
    ("java:gadget", 0.85, r"\b(?:clonetransformer|forclosure|instantiatefactory|instantiatetransformer|invokertransformer|prototypeclonefactory|prototypeserializationfactory|whileclosure|chainedtransformer|constanttransformer|lazymap|transformedmap|templatesimpl|annotationinvocationhandler|badattributevalueexpexception|priorityqueue|xmldecoder|jdbcrowsetimpl|beancomparator|commons\.collections|commons\.beanutils|c3p0|rmiconnectionimpl)\b"),
    # Runtime / ProcessBuilder used as code with code-like arguments (prose such as `Java Runtime Environment`,
    # `how to use Runtime exec` and pasted stack frames are not)
    ("java:runtime_word", 0.8, r"\bruntime\s*(?:\.\s*|@)(?:getruntime|halt|loadlibrary|addshutdownhook)\b|\bruntime\s*\.\s*(?:exec|load)\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[])|\bgetruntime\s*\(\s*\)|\bprocessbuilder(?:\s*\.\s*\w+)?\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[])|\bprocessbuilder\b[^\n]{0,60}\.\s*start\s*\(\s*\)"),
    # a value that *is* a class exploit chains name (CRS java-classes.data, ysoserial/marshalsec packages),
    # `java.x.runtime`-style dotted names, and gadget packages anywhere; inside prose or a stack trace
    # ordinary JDK names (java.lang.String, NullPointerException) are vocabulary, not code
    ("java:class_name", 0.85, r"^\s*(?:java\.(?:lang\.(?:class|classloader|integer|number|object|process|processbuilder|reflect|runtime|string|stringbuilder|system|thread|invoke)|io\.(?:bufferedinputstream|bufferedreader|bytearrayinputstream|bytearrayoutputstream|chararrayreader|datainputstream|file|fileoutputstream|filepermission|filewriter|filterinputstream|filteroutputstream|filterreader|inputstream|inputstreamreader|linenumberreader|objectinputstream|objectoutputstream|outputstream|pipedoutputstream|pipedreader|printstream|pushbackinputstream|reader|stringreader)|beans\.xmldecoder?|net\.urlclassloader|rmi\.registry)(?:\.[\w$]+)*|javax\.(?:script\.scriptenginemanager|naming\.initialcontext|management\.remote)|com\.(?:opensymphony\.xwork2|sun\.org\.apache|sun\.rowset|thoughtworks\.xstream)|org\.(?:apache\.(?:commons|struts2?|xalan)|omg\.corba|springframework\.context\.support|codehaus\.groovy\.runtime))\s*;?\s*$|\bjava\.[\w$.]*\b(?:runtime|processbuilder)(?:\s*$|[^\w.$\s]|\s+[^\w\s]|\.\s*\w+\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[]))|\b(?:java\.(?:beans\.(?:xmldecoder|eventhandler)|net\.urlclassloader\b.{0,80}\bnew\s*java\.net\.url)|javax\.script\.scriptenginemanager|javax\.naming\.initialcontext|jdk\.(?:internal|nashorn|jshell)\.|sun\.(?:misc\.unsafe|reflect\.misc)|com\.(?:opensymphony\.xwork2|thoughtworks\.xstream|sun\.rowset|sun\.org\.apache\.(?:xalan|bcel)|mchange\.v2\.c3p0|alibaba\.fastjson)\.|org\.(?:apache\.(?:commons\.collections\d*\.functors|xalan|naming\.factory|tomcat\.dbcp|shiro\.jndi|xbean\.naming)|codehaus\.groovy\.runtime|mozilla\.javascript\.tools|python\.util\.pythoninterpreter|mvel2|yaml\.snakeyaml\.constructor)|groovy\.lang\.groovy(?:shell|classloader)|bsh\.(?:interpreter|xthis)|ognl\.ognl(?:context|runtime)|clojure\.(?:lang|core)\.\w)"),
    # polymorphic JSON typing (fastjson `@type`, Jackson `@class`) naming a JDK/library class, and the values
    # fastjson probes put there (`java.net.Inet4Address`)
    ("java:json_type", 0.9, r"['\"]@(?:type|class)['\"]\s*:\s*['\"]\s*l?(?:java|javax|jdk|sun|com|org|ch\.qos|net\.sf|oracle|bsh|groovy|clojure)\.[\w$.]+|^\s*(?:java\.net\.(?:inet[46]?address|url|urlclassloader|socket)|java\.lang\.autocloseable|com\.sun\.rowset\.jdbcrowsetimpl)\s*$"),
    ("java:log4shell", 0.95, r"(?:\$|&dollar;?|%24)(?:\{|&l(?:brace|cub);?|%7b)(?:[^}]{0,15}(?:\$|&dollar;?|%24)(?:\{|&l(?:brace|cub);?|%7b)|\s*(?:jndi|ctx|env|sys|main|java|base64|bundle|docker|k8s|log4j|marker|spring|web|kubernetes)\s*:|\s*(?:lower|upper|date)\s*:\s*['\"]?[^}'\"\s]{1,3}['\"]?\s*(?:\}|%7d))"),
    # nested lookups, `${prefix:key:-default}` (obfuscated `${::-j}`, `${:1337:-x}`) and a bare `{jndi:scheme:`;
    # a shell-style `${PORT:-8080}` default has no lookup prefix
    ("java:log4shell_lookup", 0.8, r"(?:\$|&dollar;?)(?:\{|&l(?:brace|cub);?)[^}]*(?:\$|&dollar;?)(?:\{|&l(?:brace|cub);?)|(?:\$|&dollar;?)(?:\{|&l(?:brace|cub);?)\s*(?::*|[\w.\-]*:[^}]{0,30}):-|\{\s*jndi\s*:\s*[a-z]+:"),
    # Apache Commons Text interpolation (Text4Shell): `${script:engine:…}`, `${dns:address|…}`,
    # `${url:UTF-8:http://…}`, `${file:UTF-8:…}` — the lookup followed by its own argument syntax
    ("java:commons_text_lookup", 0.9, r"(?:\$|%24)(?:\{|%7b)\s*(?:script\s*:\s*[\w\-]+\s*:|dns\s*:\s*(?:address|canonical-name|name)\s*\||url\s*:\s*[\w\-]+\s*:\s*\w+:|file\s*:\s*[\w\-]+\s*:|xml\s*:[^}]*:\s*/|properties\s*:[^}]*::|base64decoder\s*:|urldecoder\s*:|const\s*:\s*[\w.$]+\.)"),
    # a JNDI reference URL as a whole value (what gadget properties such as fastjson's `dataSourceName` receive):
    # Java-only naming schemes, and LDAP URLs with the path layout of public JNDI exploit servers
    ("java:jndi_url", 0.85, r"^\s*(?:rmi|iiops?|corbaname|corbaloc|jnp)://[\w.\-\[\]:]+/\S|\bldaps?://[^\s/]+/(?:basic|deserialization|tomcatbypass|groovybypass|websphere\w*|jbossbypass)/"),
    ("java:serialized_base64", 0.95, r"\b(?:ro0ab|kztaau|cs7qaf)"),
    ("java:serialized", 0.95, r"\xac\xed\x00?\x05"),
    # Java serialization stream magic in hex (`aced0005` then a TC_* type code)
    ("java:serialized_hex", 0.9, r"\baced0005(?:7[3-7a-e]|[0-9a-f]{2}){2}"),
    # base64 of a gzip member with no flags and a zero mtime (Java's GZIPOutputStream, `gzip` reading a
    # pipe): how serialized objects travel in cookies and view states. Case-sensitive. Reported only: the points
    # layer inflates the blob, so what it carries (`java:serialized`, markup, SQL) is judged on its own
    ("java:gzip_base64_blob", 0.45, r"(?-i:(?:^|[=\s\"':])H4sIAAAAAAA)"),
    ("java:ognl", 0.95, r"%\{\s*(?:\(\s*#|#)|#_memberaccess|@ognl|#context\s*\[|ognlcontext|@java\.lang|#\w+\s*=\s*@|#application\s*\[|\(#\w+=|\bclass\.classloader\b|#request\s*\[|#parameters\s*\["),
    # Spring4Shell in dotted or bracket form, reflection entry points; `Class.forName` counts with a JDK /
    # gadget package or a computed argument (a JDBC driver name in a tutorial does not)
    ("java:class_loader", 0.95, r"class\.module\.classloader|\bclass(?:\s*\[\s*['\"]?module['\"]?\s*\]|\s*\.\s*module)?\s*(?:\[\s*['\"]?|\.\s*)classloader\b|classloader\.resources\.context|\.getclass\s*\(\s*\)\s*\.\s*forname|\bclass\s*\.\s*forname\s*\(\s*(?:['\"]\s*(?:java|javax|jdk|sun|com\.sun|org\.apache|org\.springframework|org\.codehaus|bsh|groovy|ognl|clojure|javassist)\.|[^'\"\s])|springframework\.context\.support\.(?:file|classpath)\w*xmlapplicationcontext|\bgetdeclaredmethod\s*\(|\.invoke\s*\(\s*null|\bscriptenginemanager\b|\bgetenginebyname\s*\(|\.getclassloader\s*\(\s*\)|\bdefineclass\s*\("),
    ("java:el_injection", 0.85, r"[#$]\{[^}]*(?:\.getclass\(|\.forname\(|\.getruntime\(|\.exec\(|\.newinstance\(|t\s*\(\s*java\.|request\.getparameter|session\.getattribute|applicationscope|facescontext|pagecontext\s*\.|\[\s*['\"]class['\"]\s*\])"),
    # Groovy runs a string or list as a process: `"id".execute()`, `['sh','-c','id'].execute()`
    ("groovy:execute", 0.85, r"['\"][^'\"\n]{1,200}['\"]\s*\.\s*execute\s*\(\s*\)|\[\s*['\"][^\]]*['\"]\s*\]\s*\.\s*execute\s*\("),
    ("upload:jsp_script", 0.85, r"\.\s*(?:jspx?|jspf|jsw|jsv|jhtml)(?:\s|$|\.|%00|\x00)"),
    # --- Node.js / JavaScript server side
    # `process.env`/`exit`/… and `child_process` need code around them (or be the whole value: `what is process.env`
    # is a question) (`process.env.X`, `'child_process'`); the
    # words alone are prose; also `'return process'` strings and computed `global['pro'+'cess']` access
    ("node:injection", 0.95, r"_\$\$nd_func\$\$_|__js_function|['\"`]child_process\b|\bchild_process\s*(?:[.\[)'\"`;]|$)|\bprocess\s*\.\s*(?:mainmodule|binding|dlopen|execpath)\b|\bprocess\s*\.\s*(?:kill|exit|env|argv|cwd|chdir|umask|getuid|setuid)\s*[(.\[);,}+]|^\s*process\s*\.\s*(?:kill|exit|env|argv|cwd|chdir|umask|getuid|setuid)\s*$|\brequire\s*\(\s*['\"`](?:node:)?(?:child_process|vm|cluster|worker_threads|module|process)['\"`]\s*\)|\brequire\s*\.\s*(?:main|cache|resolve|extensions)\b|\bmodule\s*\.\s*exports\s*=|\bglobal\s*\.\s*process\b|\bthis\s*\.\s*constructor\s*\.\s*constructor|\bconstructor\s*\.\s*constructor\s*\(|\bfs\s*\.\s*(?:readfile|writefile|unlink|readdir|appendfile|createreadstream|createwritestream|mkdir|rmdir|rename|chmod|open|symlink)(?:sync)?\s*\(|\.\s*(?:execsync|spawnsync|execfile|execfilesync|spawn)\s*\(|\bvm\s*\.\s*(?:runin\w*context|script|compilefunction)\b|\bnew\s+function\s*\(|\beval\s*\(\s*(?:atob|string\.fromcharcode|unescape|decodeuri|buffer|require)|\bbuffer\s*\.\s*from\s*\(.*,\s*['\"`]base64['\"`]|['\"`]\s*return\s+(?:process|global|globalthis|require|module)\b|\breflect\s*\.\s*(?:construct|apply)\s*\(\s*function\b|\[\s*['\"`]mainmodule['\"`]\s*\]|\b(?:global|globalthis|this|process|module|require)\s*\[\s*['\"`][\w$]*['\"`]\s*\+"),
    # a required module used on the spot, a local path or `node:` builtin; a bare `require('express')` is an
    # import line. A value that opens an anonymous function (`function() {`, node-serialize) or an IIFE
    ("node:require_call", 0.85, r"\brequire\s*\(\s*['\"`]?[\w./\-]+['\"`]?\s*\)\s*\.\s*\w+|\brequire\s*\(\s*['\"`](?:\.{0,2}/|node:)[\w./\-]*['\"`]\s*\)|\bimport\s*\(\s*['\"`](?:node:)?(?:child_process|fs|os|net|vm)['\"`]\s*\)|\bprocess\s*\[\s*['\"`]|\bconsole\s*\.\s*(?:log|debug|error|info|trace|warn)\s*\.\s*call\s*\(|^\s*function\s*\(\s*\)\s*\{\s*$|\bfunction\s*\(\s*\)\s*\{.*\}\s*\)?\s*\(\s*\)|\bconsole\s*\[\s*['\"`]\w+['\"`]\s*\]|\brequire\s*\["),
    # node-serialize / eval probes log a value (`console.info(1)`, `console.log(process.env)`); logging a
    # string literal or a plain variable is the tutorial snippet people paste into a search box
    ("node:console_call", 0.85, r"\bconsole\s*\.\s*(?:log|debug|error|info|trace|warn|dir)\s*\(\s*(?:[\d(`$\[{]|[a-z_]\w*\s*[.(\[,+])"),
    # `__proto__` as a key or member (`[__proto__]`, `.__proto__`, a JSON key); the word in prose is not
    # (`what is __proto__ in javascript`); `Object.prototype.x = …` assignments
    ("node:prototype_pollution", 0.9, r"__proto__\s*[\[.\]'\"=:]|[\[.'\"]\s*__proto__|^\s*__proto__\s*$|\bconstructor\s*(?:\.|\]?\s*\[\s*['\"]?)\s*prototype\b(?:\s*$|['\"]?\s*\]|\s*[.\[=])|\bprototype\s*\]?\s*\[\s*['\"]?\w+['\"]?\s*\]\s*=|\bobject\s*\.\s*prototype\s*(?:\.\s*[\w$]+|\[[^\]]{1,40}\])\s*=\s*[^=\s]"),
    # React Server Components flight references (`"$7:Module:prototype"`) that walk into an object's prototype chain
    ("node:rsc_prototype_walk", 0.9, r"['\"]\$[0-9a-z@]{1,8}:(?:[\w$]+:){0,6}(?:prototype|constructor|__proto__)\b"),
    # endless loops as statements (`while(true){`, `while(1);`, a bare `while(true)`); `while(true) loop explained`
    # is a search
    ("node:dos_loop", 0.85, r"\bwhile\s*\(+\s*(?:true|[+-]?infinity|[+-]?[1-9]\d*|this|!!\s*(?:\{\}|\[\]|\"\"|''|``|\w+)|!\s*(?:false|0|-0|\+0|null|undefined|nan|''|\"\"|``|\[\]\s*\[\s*0?\s*\]|void\s*0)|!!\s*\w+|\[\]|\{\}|-?[1-9]\d*)\s*\)+\s*(?:[{;]|$)|\bfor\s*\(\s*;\s*;\s*\)|\bdo\s*\{.*\}\s*while\s*\(\s*(?:true|1)\s*\)"),
    ("node:ssti", 0.9, r"#\{\s*(?:require|process|global|this|constructor|root)\b|\{\{\s*(?:range\.constructor|constructor\.constructor|this\.constructor|global\.process)|\brequire\s*\(\s*\w+\s*\)\s*\.\s*(?:spawn|exec|write|readfile)"),
    # --- Python / Perl / Ruby
    # dunder attributes reached through attribute/item access (`''.__class__`, `__globals__[`); one-liner
    # imports chained with `;`/`,` (`import socket,subprocess,os;`), not a markdown `import os` line
    ("python:injection", 0.95, r"\b__import__\s*\(|\b(?:os|subprocess|commands|pty|posix)\s*\.\s*(?:system|popen|popen2|popen3|spawn\w*|exec\w*|call|check_output|check_call|run|getoutput|getstatusoutput|startfile)\s*\(|[.\['\"(|]\s*__(?:class|mro|subclasses|globals|builtins|bases|base|init|getattribute|reduce|dict|code|func_globals)__|__(?:class|mro|subclasses|globals|builtins|bases|base|init|getattribute|reduce|dict|code|func_globals)__\s*(?:\.\s*(?:__|[a-z_]\w*\s*[.(\[])|[\[(])|^\s*__(?:class|mro|subclasses|globals|builtins|bases|getattribute|reduce|func_globals)__\s*$|\bimport\s+(?:os|subprocess|socket|pty|sys)(?:\s*,\s*\w+)*\s*;\s*[a-z_]|\bfrom\s+(?:os|subprocess)\s+import\s+(?:system|popen|\*|exec\w*|spawn\w*|call|check_output|run|getoutput)|\bpickle\.loads\s*\(|\bcompile\s*\(.*,\s*['\"]exec['\"]|\bexec\s*\(\s*(?:compile|base64|__import__|open)|\bgetattr\s*\(\s*__builtins__"),
    ("perl:interpolation", 0.85, r"@\s*\{\s*\[\s*[^\]\s].*(?:\]|\}|$)"),
    # `system "…"`, `exec`, `qx`, and `open` with a pipe (`open(F, "|id")`); `open 'til 9` is not Perl
    ("perl:injection", 0.85, r"\b(?:system|exec|qx)\s*\(?\s*['\"`][^'\"`]*['\"`]|\bopen\s*\(\s*(?:[\w$]+\s*,\s*)?['\"]\s*(?:\||[^'\"]*\|\s*['\"])|\bqx\s*[{/(\[|]|\bperl\s+-e\s*['\"]|\$\s*\{\s*\\\s*\(\s*(?:system|exec)|\bgetpwuid\s*\(\s*\$[<>]"),
    # `*_eval` with code after it or called as a method; the bare method name is a docs search
    ("ruby:injection", 0.9, r"\b(?:process|kernel|io|open3|pty)\s*\.\s*(?:spawn|exec|system|popen\d?|capture\d?\w*|fork|open|spawn)\s*[\s(]|\bkernel\s*\.\s*\w+|%x\s*[({\[]|\bsyscall\s*\(|\b(?:instance|class|module)_eval\s*[({'\"]|\.\s*(?:instance|class|module)_eval\b|\bsend\s*\(\s*:(?:system|exec|eval)|\bobjectspace\s*\.|\berb\.new\s*\("),
    # YAML tags that make Psych / PyYAML / SnakeYAML-style loaders build objects or call functions (Psych's
    # `!ruby/object:Gem::Installer` gadget chain, PyYAML's `!!python/object/apply:os.system`); plain YAML has none
    ("ruby:yaml_object", 0.9, r"!ruby/(?:object|hash|struct|marshalable|class|module|exception|array|string)\s*:"),
    ("python:yaml_object", 0.9, r"!!python/(?:object(?:/(?:apply|new))?|name|module)\s*:|tag:yaml\.org,2002:python/(?:object|name|module)"),
    # `Marshal.load` of what a request carries (base64 text, params, cookies): Ruby's object deserialization
    ("ruby:marshal_load", 0.85, r"\bmarshal\s*\.\s*(?:load|restore)\s*\(\s*(?:base64\s*\.|[\w:.]*decode64|params\b|cookies\b|request\b)"),
    ("ruby:backticks_eval", 0.7, r"\b(?:eval|instance_eval)\s*\(\s*['\"]"),
]
